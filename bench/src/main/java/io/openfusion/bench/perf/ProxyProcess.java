package io.openfusion.bench.perf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The proxy as a separate JVM ({@code java <jvm options> -jar openfusion.jar serve ...}), so its RSS and CPU can be
 * read from {@code /proc} apart from the load driver's. Output goes to a log file next to the results.
 */
public final class ProxyProcess implements AutoCloseable {

  private static final int FIXED_PORTS_FROM = 12_000;
  private static final int FIXED_PORTS = 8_000;

  private final Process process;
  private final int port;
  private final Path log;
  private final List<String> command;

  private ProxyProcess(Process process, int port, Path log, List<String> command) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.command = command;
  }

  /**
   * @param jvmOptions e.g. {@code -Xms64m -Xmx256m}; space separated
   * @param port       HTTP port, or -1 for a node without the api role
   * @param extra      further {@code serve} arguments (roles, cluster flags, instances)
   */
  public static ProxyProcess start(Path jar, String jvmOptions, Path config, int port, List<String> extra, Path log)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException("proxy jar not found: " + jar + " (build it: ./mvnw -B -q -Dmaven.test.skip=true package)");
    }
    List<String> cmd = javaCommand(jvmOptions);
    cmd.add("-Dhazelcast.phone.home.enabled=false");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("serve");
    cmd.add("--config");
    cmd.add(config.toString());
    if (port > 0) {
      cmd.add("--host");
      cmd.add("127.0.0.1");
      cmd.add("--port");
      cmd.add(Integer.toString(port));
    }
    cmd.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // the proxy must read only the bench's config
    env.keySet().removeIf(k -> k.startsWith("OPENFUSION_"));
    Process p = pb.start();
    ProxyProcess proxy = new ProxyProcess(p, port, log, cmd);
    Runtime.getRuntime().addShutdownHook(new Thread(proxy::kill, "bench-proxy-killer"));
    return proxy;
  }

  /**
   * A main class of the bench's own class path in a JVM of its own (the bare relay of {@code bench perf}), with the
   * given JVM options; it must answer {@code GET /healthz} on {@code port} once ready.
   */
  public static ProxyProcess startMain(String jvmOptions, String mainClass, List<String> args, int port, Path log)
      throws IOException {
    List<String> cmd = javaCommand(jvmOptions);
    cmd.add("-cp");
    cmd.add(FakeUpstreamProcess.classPath());
    cmd.add(mainClass);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ProxyProcess started = new ProxyProcess(p, port, log, cmd);
    Runtime.getRuntime().addShutdownHook(new Thread(started::kill, "bench-relay-killer"));
    return started;
  }

  /**
   * The start of a command line for a child JVM: this JDK's {@code java}, the given space-separated options, IPv4
   * (every process of a run talks over 127.0.0.1). The caller appends what to run.
   */
  static List<String> javaCommand(String jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (jvmOptions != null && !jvmOptions.isBlank()) {
      cmd.addAll(Arrays.asList(jvmOptions.trim().split("\\s+")));
    }
    cmd.add("-Djava.net.preferIPv4Stack=true");
    return cmd;
  }

  /**
   * A loopback port free now, for a process the bench starts next. It is taken from below Linux's ephemeral range
   * (32768 and up), where the sockets the kernel numbers itself (the fake's, client connections) land, and apart from
   * the bench's Hazelcast ports (27000 and up), so nothing else binds it before the process does. A fixed port rather
   * than port 0 keeps every build comparable: builds before port 0 was shared gave each api instance a port of its own.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = FIXED_PORTS_FROM + ThreadLocalRandom.current().nextInt(FIXED_PORTS);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free loopback port between " + FIXED_PORTS_FROM + " and "
      + (FIXED_PORTS_FROM + FIXED_PORTS));
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  public String commandLine() {
    return String.join(" ", command);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Polls {@code /healthz} until it answers 200, the process dies, or {@code timeout} passes. */
  public void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException("proxy exited with " + process.exitValue() + "; see " + log + "\n" + tail());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException ignored) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IOException("proxy not healthy after " + timeout + "; see " + log + "\n" + tail());
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * SIGTERM, as an orchestrator stops a node, then waits for the process to exit on its own; past {@code timeout} it
   * is killed.
   *
   * @return how long the node took to stop, in milliseconds
   */
  public long terminate(Duration timeout) throws InterruptedException {
    long started = System.currentTimeMillis();
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new IllegalStateException("the node did not stop within " + timeout.toSeconds() + " s of SIGTERM; see " + log);
    }
    return System.currentTimeMillis() - started;
  }

  /** SIGTERM (the proxy's shutdown hook closes Vert.x and a JFR recording is dumped), then SIGKILL after 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void kill() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
