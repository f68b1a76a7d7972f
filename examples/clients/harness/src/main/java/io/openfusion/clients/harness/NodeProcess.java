package io.openfusion.clients.harness;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An openfusion node started from the shaded jar exactly as the {@code ./openfusion} script starts it ({@code serve}
 * with the same JVM flags), in a process of its own with its output in a file. It is stopped when closed, and by a
 * shutdown hook if the test JVM exits without closing it.
 */
final class NodeProcess implements AutoCloseable {

  /** The flags of the {@code ./openfusion} script (less the native-heap trim, which it adds only where the JVM has it). */
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
    "-Xmx96m",
    "-XX:+UseSerialGC");
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  /** The start-up summary's line naming the port the node bound. */
  private static final Pattern LISTENING = Pattern.compile("^  listening on http://127\\.0\\.0\\.1:(\\d+)$",
    Pattern.MULTILINE);

  private final Process process;
  private final Path log;
  private final Thread reaper;
  private int port;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.reaper = new Thread(process::destroyForcibly, "openfusion-node-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code java -jar <jar> serve --config <config>} on loopback port 0, reads the port the node bound from its
   * start-up summary (a free port picked here could be taken by another process before the node binds it) and waits
   * for {@code /healthz}.
   */
  static NodeProcess start(Path jar, Path config, Path log) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no openfusion jar at " + jar + ": build it first (./mvnw -B package -pl app -am "
        + "-DskipTests), or run the client suite through the root reactor, which packages app before it");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString(),
      "--host", "127.0.0.1", "--port", "0", "--no-open"));
    ProcessBuilder builder = new ProcessBuilder(command)
      .directory(config.getParent().toFile())
      .redirectErrorStream(true)
      .redirectOutput(log.toFile());
    // the recipe comes from the config file alone: no settings or keys from the developer's shell
    builder.environment().keySet().removeIf(key -> key.startsWith("OPENFUSION_") || key.endsWith("_API_KEY"));
    NodeProcess node = new NodeProcess(builder.start(), log);
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
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the openfusion node exited with " + process.exitValue() + " before it listened; "
          + "its output:\n" + log());
      }
      if (port == 0) {
        Matcher listening = LISTENING.matcher(log());
        port = listening.find() ? Integer.parseInt(listening.group(1)) : 0;
      }
      if (port > 0 && healthy(http)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the openfusion node did not answer /healthz within " + READY_WITHIN.toSeconds()
      + " s; its output:\n" + log());
  }

  private boolean healthy(HttpClient http) throws InterruptedException {
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
      .timeout(Duration.ofSeconds(2)).build();
    try {
      return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
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
