package io.openfusion.clients.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An openfusion node started from the shaded jar exactly as the {@code ./openfusion} script starts it ({@code serve}
 * with the same JVM flags), in a process of its own with its output in a file. It is stopped when closed, and by a
 * shutdown hook if the test JVM exits without closing it.
 */
final class NodeProcess implements AutoCloseable {

  /** The flags of the {@code ./openfusion} script. */
  private static final List<String> JVM_FLAGS = List.of(
    "--add-modules", "java.se",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
    "-Djava.net.preferIPv4Stack=true",
    "-Dhazelcast.phone.home.enabled=false",
    "-Xmx128m");
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  private final int port;
  private final Thread reaper;

  private NodeProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.reaper = new Thread(process::destroyForcibly, "openfusion-node-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Starts {@code java -jar <jar> serve --config <config>} on a free loopback port and waits for {@code /healthz}. */
  static NodeProcess start(Path jar, Path config, Path log) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no openfusion jar at " + jar + ": build it first (./mvnw -B package -pl app -am "
        + "-DskipTests), or run the client suite through the root reactor, which packages app before it");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString(),
      "--host", "127.0.0.1", "--port", String.valueOf(port), "--no-open"));
    ProcessBuilder builder = new ProcessBuilder(command)
      .directory(config.getParent().toFile())
      .redirectErrorStream(true)
      .redirectOutput(log.toFile());
    // the recipe comes from the config file alone: no settings or keys from the developer's shell
    builder.environment().keySet().removeIf(key -> key.startsWith("OPENFUSION_") || key.endsWith("_API_KEY"));
    NodeProcess node = new NodeProcess(builder.start(), log, port);
    try {
      node.awaitReady();
    } catch (InterruptedException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  int port() {
    return port;
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(node log unreadable: " + e.getMessage() + ")";
    }
  }

  private void awaitReady() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
      .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the openfusion node exited with " + process.exitValue() + " before it listened; "
          + "its output:\n" + log());
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the openfusion node did not answer /healthz within " + READY_WITHIN.toSeconds()
      + " s; its output:\n" + log());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** SIGTERM, as an operator stops it; SIGKILL if it has not gone after a grace period. */
  @Override
  public void close() throws InterruptedException {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it kills the process anyway
      }
    }
  }
}
