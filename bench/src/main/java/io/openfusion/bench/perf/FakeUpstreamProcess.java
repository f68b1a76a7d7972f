package io.openfusion.bench.perf;

import io.openfusion.bench.common.Proc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fake upstream as a process of its own: a JVM ({@link FakeUpstreamMain}) on the harness's own class path, or Node
 * ({@link #startNode}). Its user+sys CPU time, read from {@code /proc/PID/stat} around each cell, is what serving the
 * proxy's upstream calls costs, the yardstick for the proxy's own CPU per request.
 */
public final class FakeUpstreamProcess implements AutoCloseable {

  static final String NODE_SCRIPT = "fake-upstream.mjs";

  private final Process process;
  private final int port;
  private final String host;
  private final String commandLine;

  private FakeUpstreamProcess(Process process, int port, String host, String commandLine) {
    this.process = process;
    this.port = port;
    this.host = host;
    this.commandLine = commandLine;
  }

  public static FakeUpstreamProcess start(FakeUpstreamOptions options, String jvmOptions, Path log) throws IOException {
    List<String> cmd = ProxyProcess.javaCommand(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(FakeUpstreamMain.class.getName());
    cmd.addAll(options.toArgs());
    String shown = String.join(" ", cmd.subList(0, cmd.indexOf("-cp")))
      + " -cp <bench class path> " + String.join(" ", cmd.subList(cmd.indexOf("-cp") + 2, cmd.size()));
    return launch(cmd, options.host(), log, shown);
  }

  /**
   * The same fake as a Node process ({@code fake-upstream.mjs}, written next to {@code log}): it parses every request
   * and serializes every chunk, as a provider written in Node would, where the JVM fake scans bytes and appends
   * pre-encoded pieces. {@code bench perf --fake-runtime node} measures the proxy against it.
   */
  public static FakeUpstreamProcess startNode(FakeUpstreamOptions options, Path log) throws IOException {
    Path script = log.resolveSibling(NODE_SCRIPT);
    try (InputStream in = FakeUpstreamProcess.class.getResourceAsStream(NODE_SCRIPT)) {
      if (in == null) {
        throw new IOException(NODE_SCRIPT + " is missing from the bench's class path");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> cmd = new ArrayList<>(List.of("node", script.toString()));
    cmd.addAll(options.toArgs());
    return launch(cmd, options.host(), log, "node " + NODE_SCRIPT + " " + String.join(" ", options.toArgs()));
  }

  private static FakeUpstreamProcess launch(List<String> cmd, String host, Path log, String shown) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "bench-fake-killer"));
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = first.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("the fake upstream did not start within 60 s; see " + log, e);
    }
    int port = parsePort(line);
    if (port <= 0) {
      p.destroyForcibly();
      throw new IOException("the fake upstream did not report its port (got " + line + "); see " + log);
    }
    return new FakeUpstreamProcess(p, port, host, shown);
  }

  /** The port from the fake's first line of output, or -1. */
  static int parsePort(String line) {
    if (line == null || !line.startsWith(FakeUpstreamMain.PORT_LINE)) {
      return -1;
    }
    try {
      return Integer.parseInt(line.substring(FakeUpstreamMain.PORT_LINE.length()).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Under {@code exec:java} the bench's classes and dependencies are in the context class loader, not on java.class.path. */
  static String classPath() {
    List<String> entries = new ArrayList<>();
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    while (cl != null) {
      if (cl instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file: nothing a child JVM could load from
          }
        }
      }
      cl = cl.getParent();
    }
    String own = System.getProperty("java.class.path", "");
    if (!own.isBlank()) {
      entries.addAll(Arrays.asList(own.split(File.pathSeparator)));
    }
    return String.join(File.pathSeparator, entries);
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + host + ":" + port + "/v1";
  }

  public long pid() {
    return process.pid();
  }

  /** user + sys CPU milliseconds so far, or -1 when the process is gone. */
  public long cpuMillis() {
    return Proc.cpuMillis(process.pid());
  }

  public String commandLine() {
    return commandLine;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
