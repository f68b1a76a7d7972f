package io.openfusion.app.cluster;

import io.openfusion.app.Main;
import io.openfusion.shared.config.ClusterSettings;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An openfusion node in a JVM of its own, started the way {@code openfusion serve --cluster} starts one,
 * with its output in a file. Killing it with SIGKILL is as abrupt as a crash or an OOM kill: no shutdown
 * hook runs and Hazelcast gets no goodbye.
 */
final class NodeProcess implements AutoCloseable {

  /** The start-up summary's line (a demo provider's log line names its own port). */
  private static final Pattern LISTENING = Pattern.compile("^  listening on http://127\\.0\\.0\\.1:(\\d+)$",
    Pattern.MULTILINE);

  private final String name;
  private final Process process;
  private final Path output;

  private NodeProcess(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  static NodeProcess start(String name, String roles, Path config, ClusterSettings cluster, Path dir) {
    return start(name, roles, config, cluster, dir, List.of());
  }

  /** @param extra more {@code serve} options, e.g. {@code --port 8123} */
  static NodeProcess start(String name, String roles, Path config, ClusterSettings cluster, Path dir, List<String> extra) {
    List<String> serve = new ArrayList<>(List.of("--config", config.toString(), "--roles", roles, "--cluster",
      "--cluster-name", cluster.name(), "--cluster-port", String.valueOf(cluster.port()),
      "--cluster-members", String.join(",", cluster.members()), "--cluster-host", cluster.host()));
    serve.addAll(extra);
    return serve(name, dir, serve);
  }

  /**
   * {@code openfusion serve ARGS} in a JVM of its own, with the product's own logging setup (the test JVM's
   * logging configuration is not passed on); stdout and stderr go to {@code dir/name.log}.
   */
  static NodeProcess serve(String name, Path dir, List<String> args) {
    return launch(name, dir, List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()),
      args);
  }

  /**
   * {@code openfusion serve ARGS} from the runnable jar this module's build made ({@code target/openfusion.jar}, so
   * only after {@code package}), with the heap and collector the {@code ./openfusion} script gives it: the product as shipped,
   * with the libraries the jar carries rather than the test classpath.
   */
  static NodeProcess serveJar(String name, Path dir, List<String> args) {
    Path jar = Path.of(System.getProperty("basedir", "."), "target", "openfusion.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no runnable jar at " + jar + ": run this test through ./mvnw verify");
    }
    return launch(name, dir, List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=5000", "-jar", jar.toString()), args);
  }

  private static NodeProcess launch(String name, Path dir, List<String> launcher, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String flags = System.getProperty("openfusion.test.node-jvm-flags", "");
    Arrays.stream(flags.trim().split("\\s+")).filter(flag -> !flag.isEmpty()).forEach(command::add);
    command.add("-Dhazelcast.phone.home.enabled=false");
    command.addAll(launcher);
    command.add("serve");
    command.addAll(args);
    Path output = dir.resolve(name + ".log");
    // run in the test's folder: zero-config would read an openfusion.yaml in the working directory
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
      .redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("OPENFUSION_") || key.equals("OPENROUTER_API_KEY"));
    builder.environment().put("OPENFUSION_NO_OPEN", "1");
    try {
      return new NodeProcess(name, builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start node " + name, e);
    }
  }

  /** Waits (up to 2 minutes) for the start-up summary's "listening on" line and returns its port. */
  int awaitHttpPort() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      Matcher listening = LISTENING.matcher(log());
      if (listening.find()) {
        return Integer.parseInt(listening.group(1));
      }
      if (!alive()) {
        throw new AssertionError(name + " exited:\n" + log());
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " did not start:\n" + log());
  }

  /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} after {@code timeoutMs}. */
  static void awaitUntil(BooleanSupplier condition, long timeoutMs, String what) {
    Awaitility.await(what).atMost(Duration.ofMillis(timeoutMs)).pollInterval(Duration.ofMillis(100))
      .until(condition::getAsBoolean);
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL");
    }
  }

  /**
   * SIGTERM, as an orchestrator sends it in a rolling update, then waits for the process to exit on its own.
   *
   * @return how long the node took to stop, in milliseconds
   */
  long terminate(long timeoutMs) throws InterruptedException {
    long started = System.currentTimeMillis();
    process.destroy();
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(name + " did not stop within " + timeoutMs + " ms of SIGTERM; log:\n" + log());
    }
    return System.currentTimeMillis() - started;
  }

  /** Upstream calls this node finished for panel members, from its per-call log lines. */
  long panelCalls() {
    return log().lines().filter(line -> line.contains("\"event\":\"upstream_call\"") && line.contains("\"phase\":\"panel\""))
      .count();
  }

  String log() {
    try {
      return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops the node like an operator would (SIGTERM), and kills it if it does not go. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
