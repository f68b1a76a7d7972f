package io.openfusion.bench.scale;

import io.openfusion.bench.perf.ProxyProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The proxy processes of one scale-out run: an api node ({@code api,router,judge}) and a growing set of panel nodes,
 * all on loopback, one uniquely named cluster. Closing stops every process it started, the api node first so its
 * in-flight requests end before their workers go.
 */
final class ScaleCluster implements AutoCloseable {

  private final Path jar;
  private final String jvm;
  private final Path config;
  private final Path out;
  private final List<String> common;
  private final List<ProxyProcess> panels = new ArrayList<>();
  private ProxyProcess api;

  ScaleCluster(Path jar, String jvm, Path config, Path out, String name, int hazelcastPort, int instances) {
    this.jar = jar;
    this.jvm = jvm;
    this.config = config;
    this.out = out;
    List<String> flags = new ArrayList<>(List.of("--cluster", "--cluster-name", name, "--cluster-port",
      Integer.toString(hazelcastPort), "--cluster-members", "127.0.0.1", "--cluster-host", "127.0.0.1"));
    if (instances > 0) {
      flags.addAll(List.of("--instances", Integer.toString(instances)));
    }
    this.common = List.copyOf(flags);
  }

  static String uniqueName() {
    return "openfusion-scale-" + UUID.randomUUID();
  }

  /** Starts the api node (it forms the cluster) and waits until it answers {@code /healthz}. */
  ProxyProcess startApi() throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of("--roles", "api,router,judge"));
    api = ProxyProcess.start(jar, jvm, config, ProxyProcess.freePort(), args, out.resolve("node-api.log"));
    api.awaitHealthy(Duration.ofSeconds(120));
    return api;
  }

  /** Launches {@code count} more panel nodes without waiting for them: they join whatever is running. */
  List<ProxyProcess> addPanelNodes(int count) throws IOException {
    List<ProxyProcess> added = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> args = new ArrayList<>(common);
      args.addAll(List.of("--roles", "panel"));
      ProxyProcess p = ProxyProcess.start(jar, jvm, config, -1, args, out.resolve("node-panel-" + (panels.size() + 1) + ".log"));
      panels.add(p);
      added.add(p);
    }
    return added;
  }

  ProxyProcess api() {
    return api;
  }

  List<ProxyProcess> panels() {
    return List.copyOf(panels);
  }

  /** Every node's pid, for CPU readings. */
  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    if (api != null) {
      pids.add(api.pid());
    }
    panels.forEach(p -> pids.add(p.pid()));
    return pids;
  }

  /** The command lines, for the report. */
  String commands() {
    List<String> lines = new ArrayList<>();
    if (api != null) {
      lines.add(api.commandLine());
    }
    if (!panels.isEmpty()) {
      lines.add(panels.get(0).commandLine() + "   (x" + panels.size() + ")");
    }
    return String.join("\n", lines);
  }

  /** The tail of every node's log, for a failure message. */
  String logTails() {
    List<ProxyProcess> all = new ArrayList<>();
    if (api != null) {
      all.add(api);
    }
    all.addAll(panels);
    return all.stream().map(p -> "--- " + p.log().getFileName() + (p.alive() ? "" : " (exited)") + "\n" + p.tail())
      .collect(Collectors.joining("\n"));
  }

  /** A node that died under the run makes every later number meaningless. */
  void checkAlive() {
    List<ProxyProcess> all = new ArrayList<>(panels);
    if (api != null) {
      all.add(api);
    }
    for (ProxyProcess p : all) {
      if (!p.alive()) {
        throw new IllegalStateException("node " + p.log().getFileName() + " exited\n" + p.tail());
      }
    }
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
    for (ProxyProcess p : panels) {
      p.close();
    }
  }
}
