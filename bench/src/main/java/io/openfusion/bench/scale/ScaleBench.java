package io.openfusion.bench.scale;

import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.MachineCpu;
import io.openfusion.bench.common.Futures;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.perf.FakeUpstream;
import io.openfusion.bench.perf.LoadDriver;
import io.openfusion.bench.perf.ProcessMonitor;
import io.openfusion.bench.perf.ProxyProcess;
import io.openfusion.bench.perf.Scenario;
import io.openfusion.bench.perf.ScenarioResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The scale-out harness. In one invocation: a fake upstream with a fixed member latency, an api node and one panel
 * node with a per-node panel cap, fusion load at a concurrency that keeps every panel slot busy; then more panel nodes
 * join the running cluster under that load, and the same load is measured again. Since the panel cap is the
 * bottleneck, throughput should grow with the number of panel nodes; the report sets it against that ceiling.
 */
public final class ScaleBench {

  /** How long the join run goes with one panel node before the others are launched: the "before" rate. */
  private static final long LAUNCH_DELAY_MS = 10_000;

  private final ScaleOptions o;
  private final ScaleResults results;

  private ScaleBench(ScaleOptions options, String commandLine) {
    this.o = options;
    this.results = new ScaleResults(options, commandLine, Proc.machine(), ScaleCluster.uniqueName());
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      System.out.println(ScaleOptions.usage());
      return;
    }
    new ScaleBench(ScaleOptions.parse(args), "scale " + String.join(" ", argv)).run();
  }

  private void run() throws Exception {
    Files.createDirectories(o.out());
    results.loadAtStart = Proc.loadAverage();
    log("machine: " + results.machine + "; loadavg " + results.loadAtStart);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    FakeUpstream fake = FakeUpstream.start(vertx, o.fake()).await();
    log("fake upstream " + fake.baseUrl() + ": " + o.fake().describe());
    Path config = ScaleConfig.write(o.out(),
      ScaleConfig.yaml(fake.baseUrl(), o.panelCap(), results.clusterName, o.clusterPort()));
    LoadDriver driver = new LoadDriver();
    ScaleCluster cluster = new ScaleCluster(o.jar(), o.proxyJvm(), config, o.out(), results.clusterName,
      o.clusterPort(), o.instances());
    try {
      measureAll(fake, driver, cluster);
    } finally {
      results.nodeCommands = cluster.commands();
      if (cluster.api() != null) {
        driver.forget(cluster.api().port());
      }
      cluster.close();
      driver.close();
      Futures.awaitClose(fake.stop(), 10, "fake upstream");
      Futures.awaitClose(vertx.close(), 15, "harness Vert.x");
    }
    results.loadAtEnd = Proc.loadAverage();
    cpuNotes();
    String md = ScaleReport.markdown(results);
    Files.writeString(o.out().resolve("results.md"), md);
    Files.writeString(o.out().resolve("results.json"), ScaleReport.json(results).encodePrettily());
    System.out.println();
    System.out.println(md);
    log("wrote " + o.out().resolve("results.md") + " and results.json");
  }

  private void measureAll(FakeUpstream fake, LoadDriver driver, ScaleCluster cluster) throws Exception {
    ProxyProcess api = cluster.startApi();
    log("api node pid " + api.pid() + " on :" + api.port() + ", cluster " + results.clusterName + ", hazelcast port "
      + o.clusterPort());
    cluster.addPanelNodes(1);
    ClusterWatch watch = new ClusterWatch(api.port());
    long waited = watch.awaitPanelNodes(1, Duration.ofSeconds(120), cluster::logTails);
    awaitFusion(driver, api.port(), cluster);
    log("1 panel node up after " + waited + " ms; a fusion went through");
    warmup(driver, api.port());
    for (int r = 1; r <= o.repeat(); r++) {
      results.rows.add(measureRow(driver, cluster, 1, r));
    }
    results.join = joinUnderLoad(fake, driver, cluster, watch);
    awaitFusion(driver, api.port(), cluster);
    for (int r = 1; r <= o.repeat(); r++) {
      results.rows.add(measureRow(driver, cluster, o.nodesAfter(), r));
    }
  }

  /** JIT and connection pools on every node; not recorded. */
  private void warmup(LoadDriver driver, int port) {
    if (o.warmup() <= 0) {
      return;
    }
    ScenarioResult w = driver.run(scenario("warmup", o.warmup(), port), null, () -> -1L).await();
    log(String.format("warm-up %d requests, %d errors%s", w.ok() + w.errors(), w.errors(),
      w.errorSamples().isEmpty() ? "" : " " + w.errorSamples()));
  }

  private ScaleRow measureRow(LoadDriver driver, ScaleCluster cluster, int nodes, int run) throws InterruptedException {
    cluster.checkAlive();
    double background = quietMachine(nodes, run);
    String loadBefore = Proc.loadAverage();
    List<PanelLog.Tally> before = tallies(cluster);
    List<Long> cpuBefore = cpuPerNode(cluster);
    long resends0 = PanelLog.resends(cluster.api().log());
    ScenarioResult res;
    MachineCpu cpu0 = MachineCpu.now();
    try (ProcessMonitor monitor = new ProcessMonitor(cluster.pids())) {
      res = driver.run(scenario("fusion-" + nodes + "-nodes", o.requestsFor(nodes), cluster.api().port()), monitor,
        monitor::cpuMillis).await();
    }
    double busy = MachineCpu.now().busyPercentSince(cpu0);
    List<Long> cpuAfter = cpuPerNode(cluster);
    List<Long> cpu = new ArrayList<>();
    for (int i = 0; i < cpuAfter.size(); i++) {
      cpu.add(cpuAfter.get(i) - cpuBefore.get(i));
    }
    ScaleRow row = new ScaleRow(nodes, run, res, results.ceiling(nodes), busy, background, loadBefore,
      since(before, tallies(cluster)), cpu, PanelLog.resends(cluster.api().log()) - resends0);
    log(String.format("%d panel node(s) run %d: ok=%d err=%d rps=%.2f (ceiling %.2f, %.0f %%) ttlb p50=%.0f p99=%.0f ms"
        + " panel calls %s, node CPU ms %s, machine busy %.0f %%, loadavg %s", nodes, run, res.ok(), res.errors(),
      row.rps(),
      row.ceilingRps(), row.percentOfCeiling(), res.ttlbP50() / 1000.0, res.ttlbP99() / 1000.0,
      row.perNode().stream().map(t -> Long.toString(t.calls())).toList(), cpu, busy, res.loadAvg()));
    if (!res.errorSamples().isEmpty()) {
      log("  errors: " + res.errorSamples());
    }
    return row;
  }

  /**
   * One closed-loop run, capped at {@code --join-window-s}, during which the extra panel nodes are launched. The
   * request count only bounds it: at most 1.5 x the final ceiling over the window, so the cap is what ends it.
   */
  private JoinResult joinUnderLoad(FakeUpstream fake, LoadDriver driver, ScaleCluster cluster, ClusterWatch watch)
      throws Exception {
    cluster.checkAlive();
    int before = cluster.panels().size();
    long windowMs = o.joinWindowS() * 1000;
    int bound = (int) Math.ceil(results.ceiling(o.nodesAfter()) * o.joinWindowS() * 1.5) + o.concurrency();
    List<PanelLog.Tally> tallies0 = tallies(cluster);
    long resends0 = PanelLog.resends(cluster.api().log());
    MachineCpu cpu0 = MachineCpu.now();
    UpstreamTimeline timeline = new UpstreamTimeline(fake::requests, 500);
    try {
      Future<ScenarioResult> running = driver.run(new Scenario("fusion-join", o.format(), o.concurrency(), bound,
        windowMs, cluster.api().port(), ScaleConfig.FUSION_MODEL), null, () -> -1L);
      Thread.sleep(LAUNCH_DELAY_MS);
      timeline.sample();
      long launchAt = timeline.now();
      cluster.addPanelNodes(o.nodesAfter() - before);
      log("launched " + (o.nodesAfter() - before) + " panel node(s) at " + launchAt + " ms into the run");
      watch.awaitPanelNodes(o.nodesAfter(), Duration.ofSeconds(180), cluster::logTails);
      timeline.sample();
      long joinedAt = timeline.now();
      log("the api node lists " + o.nodesAfter() + " panel nodes at " + joinedAt + " ms ("
        + (joinedAt - launchAt) + " ms after launch)");
      if (joinedAt + o.settleS() * 1000 + 5000 > windowMs) {
        results.notes.add("The join took longer than the join window allows for a rate after it; raise --join-window-s.");
      }
      ScenarioResult res = running.await();
      timeline.sample();
      List<PanelLog.Tally> tallies1 = tallies(cluster);
      List<PanelLog.Tally> padded = new ArrayList<>(tallies0);
      while (padded.size() < tallies1.size()) {
        padded.add(PanelLog.Tally.NONE);
      }
      JoinResult join = new JoinResult(before, o.nodesAfter(), launchAt, joinedAt, windowMs, o.settleS() * 1000, res,
        timeline.samples(), since(padded, tallies1), MachineCpu.now().busyPercentSince(cpu0),
        PanelLog.resends(cluster.api().log()) - resends0);
      log(String.format("join run: ok=%d err=%d, fusion rps before %.2f, after %.2f, panel calls %s, resent %d", res.ok(),
        res.errors(), join.rpsBefore(), join.rpsAfter(), join.perNode().stream().map(t -> Long.toString(t.calls())).toList(),
        join.resends()));
      if (!res.errorSamples().isEmpty()) {
        log("  errors: " + res.errorSamples());
      }
      return join;
    } finally {
      timeline.close();
    }
  }

  /** Until the panel nodes' consumers are known to the api node, fusions fail with no_workers; bounded. */
  private void awaitFusion(LoadDriver driver, int port, ScaleCluster cluster) throws InterruptedException {
    long end = System.currentTimeMillis() + 60_000;
    ScenarioResult probe = null;
    while (System.currentTimeMillis() < end) {
      probe = driver.run(scenario("probe", 1, port), null, () -> -1L).await();
      if (probe.ok() == 1) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no fusion went through in 60 s: " + (probe == null ? "" : probe.errorSamples())
      + "\n" + cluster.logTails());
  }

  /**
   * The machine's busy percentage over one second with the harness idle (other tenants' load); with
   * {@code --quiet-below}, waits (bounded by {@code --quiet-wait-s}) while it stays above that.
   */
  private double quietMachine(int nodes, int run) throws InterruptedException {
    long waitUntil = System.currentTimeMillis() + o.quietWaitS() * 1000;
    double busy = Proc.cpuBusyFraction(1000) * 100;
    while (o.quietBelow() > 0 && busy > o.quietBelow() && System.currentTimeMillis() < waitUntil) {
      log(String.format("machine %.0f %% busy before the %d-node row, run %d; waiting for < %.0f %%", busy, nodes, run,
        o.quietBelow()));
      Thread.sleep(4000);
      busy = Proc.cpuBusyFraction(1000) * 100;
    }
    return busy < 0 ? -1 : busy;
  }

  private static List<Long> cpuPerNode(ScaleCluster cluster) {
    return cluster.pids().stream().map(Proc::cpuMillis).toList();
  }

  private Scenario scenario(String label, int requests, int port) {
    int c = label.equals("probe") ? 1 : o.concurrency();
    return new Scenario(label, o.format(), c, requests, o.timeCapS() * 1000, port, ScaleConfig.FUSION_MODEL);
  }

  private static List<PanelLog.Tally> tallies(ScaleCluster cluster) {
    return cluster.panels().stream().map(p -> PanelLog.read(p.log())).toList();
  }

  private static List<PanelLog.Tally> since(List<PanelLog.Tally> before, List<PanelLog.Tally> after) {
    List<PanelLog.Tally> out = new ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      out.add(after.get(i).minus(i < before.size() ? before.get(i) : PanelLog.Tally.NONE));
    }
    return out;
  }

  /** Whether the machine, not the panel caps, held a row back. */
  private void cpuNotes() {
    for (ScaleRow row : results.rows) {
      String verdict = row.cpuLimited() ? "**CPU-limited**" : "not CPU-limited";
      results.notes.add(String.format("%d node(s), run %d: %s: the machine was %.0f %% busy during the row (the proxy "
          + "nodes %.0f %% of its %d cores, the rest the harness and other tenants; %.0f %% just before it), "
          + "throughput at %.1f %% of the ceiling.", row.nodes(), row.run(), verdict, row.machineBusyPct(),
        row.proxyCpuPercent(results.cores), results.cores, row.backgroundPct(), row.percentOfCeiling()));
    }
  }

  private static void log(String line) {
    System.out.println("[scale " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
  }
}
