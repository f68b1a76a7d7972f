package io.openfusion.bench.perf;

import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.FakeRecipe;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.common.RepoPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The performance harness. In one invocation, against one fake upstream ({@link FakeUpstream}), it measures the
 * upstream alone, the proxy passing through, and the proxy fusing (3 members + judge), for SSE and JSON, at each
 * concurrency, and optionally a 2-JVM cluster (api node + panel node). Each proxy row is reported as a ratio to the
 * upstream-alone row, fusion against its floor (one member's full latency + the judge's), and the targets are
 * checked. Results: a Markdown report on stdout and {@code results.md} / {@code results.json} in the output folder.
 */
public final class PerfBench {

  static final Set<String> OPTIONS = Set.of("concurrency", "formats", "targets", "requests", "time-cap-s", "warmup",
    "repeat", "ttft-ms", "itl-ms", "tokens", "json-latency-ms", "fail-rate", "fake-instances", "proxy-jar", "proxy-jvm",
    "proxy-instances", "cluster", "cluster-only", "cluster-concurrency", "cluster-port", "jfr", "jfr-summary", "from", "out",
    "quick", "quiet-below", "quiet-wait-s", "compare", "fake-jvm", "fake-runtime", "settle-s", "help");

  static final String FUSION_MODEL = FakeRecipe.FUSION_MODEL;
  static final String PASS_MODEL = "fake/pt";
  /** The fake upstream's JVM: a fixed 128 MB heap and otherwise the JVM's defaults, so its CPU compares across runs. */
  static final String DEFAULT_FAKE_JVM = "-Xmx128m";

  private final Args args;
  private final Path out;
  private final FakeUpstreamOptions fakeOptions;
  private final List<Integer> concurrency;
  private final List<String> formats;
  private final List<String> targets;
  private final int repeat;
  private final long timeCapMs;
  private final String proxyJvm;
  private final Path jar;
  /** The proxy builds measured: one unlabelled build, or the labelled builds of {@code --compare}. */
  private List<ProxyBuild> builds;
  private final List<ScenarioResult> results = new ArrayList<>();
  private final List<ScenarioResult> clusterResults = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private long idleRssKb = -1;
  private final java.util.Map<String, Long> idleRssByBuild = new java.util.LinkedHashMap<>();
  private String jfrSummary;
  private String proxyCommand;
  private String fakeCommand;
  /** The running fake upstream, its CPU read around every measured cell. */
  private FakeUpstreamProcess fake;
  private String clusterCommand;
  private String commandLine = "";
  private int repeatOverride = -1;

  private PerfBench(Args args) {
    this.args = args;
    boolean quick = args.flag("quick");
    this.out = RepoPaths.resolve(args.string("out", "bench/results/perf-"
      + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    FakeUpstreamOptions d = FakeUpstreamOptions.defaults();
    this.fakeOptions = new FakeUpstreamOptions("127.0.0.1", 0, args.longValue("ttft-ms", d.ttftMs()),
      args.longValue("itl-ms", d.interTokenMs()), args.integer("tokens", d.tokens()),
      args.longValue("json-latency-ms", d.jsonLatencyMs()), args.number("fail-rate", d.failRate()), 500,
      args.integer("fake-instances", d.instances()), d.seed());
    this.concurrency = args.integers("concurrency", List.of(1, 16, 64, 256));
    this.formats = args.strings("formats", List.of("sse", "json"));
    this.targets = args.strings("targets", List.of("upstream", "passthrough", "fusion"));
    this.repeat = Math.max(1, args.integer("repeat", 1));
    this.timeCapMs = args.longValue("time-cap-s", quick ? 20 : 60) * 1000;
    this.proxyJvm = args.string("proxy-jvm", "-Xms64m -Xmx256m");
    this.jar = RepoPaths.resolve(args.string("proxy-jar", "app/target/openfusion.jar"));
    this.builds = args.has("compare") ? ProxyBuild.parse(args.string("compare", "")) : List.of(new ProxyBuild("", jar));
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      System.out.println(usage());
      return;
    }
    args.checkKnown(OPTIONS);
    if (args.has("jfr-summary")) {
      System.out.println(JfrTop.summarize(RepoPaths.resolve(args.string("jfr-summary", "")), 25));
      return;
    }
    if (args.has("compare") && (args.flag("cluster") || args.flag("cluster-only") || args.has("proxy-jar"))) {
      throw new IllegalArgumentException("--compare names the jars itself and runs single-process proxies only: "
        + "drop --proxy-jar, --cluster and --cluster-only");
    }
    PerfBench bench = new PerfBench(args);
    bench.commandLine = "perf " + String.join(" ", argv);
    if (args.has("from")) {
      bench.rerender(args.strings("from", List.of()));
      return;
    }
    bench.run();
  }

  static String usage() {
    return """
      perf: proxy overhead against a fake upstream (upstream alone / pass-through / fusion; SSE and JSON)
        --concurrency 1,16,64,256   closed-loop clients per scenario
        --formats sse,json          --targets upstream,passthrough,fusion
                                    (and relay: the bare Vert.x relay of RelayFloorMain, a floor for pass-through)
        --requests N                per scenario (default: 40 at c=1, else max(128, 8*c))
        --time-cap-s 60             no new request after this; stragglers get 15 s more, then count as errors
        --warmup N                  requests before each proxy target/format (default 300, at c=32)
        --settle-s 300              then warm up at the highest concurrency until the JIT is done (its compiler threads
                                    under 3 % of the proxy's and the fake's CPU over a round), for at most this long;
                                    0 skips it (default 0 with --quick)
        --repeat R                  run the whole matrix R times; tables show the median of each cell
        --ttft-ms 100 --itl-ms 10 --tokens 20 --json-latency-ms -1 --fail-rate 0 --fake-instances 1
        --proxy-jar app/target/openfusion.jar   --proxy-jvm "-Xms64m -Xmx256m"   --proxy-instances N
        --fake-jvm "-Xmx128m"       the fake upstream's JVM options (it runs as a process of its own, its CPU measured)
        --fake-runtime jvm          or node: the same fake in Node, parsing every request and serializing every chunk
        --cluster                   also run fusion on 2 JVMs (api,router,judge + panel)
        --cluster-only              only the cluster comparison (runs its own single-process baseline)
        --cluster-concurrency 1,16  --cluster-port P (27000-28000, default random)
        --compare before=JAR,after=JAR   measure two proxy builds side by side: both run at once, every proxy cell is
                                    measured on each build back to back (the order alternating by repeat), and a
                                    before / after table with the paired ratios is added (single process only)
        --jfr                       record the single-process proxy (each build with --compare) with JFR and print its hot spots
        --jfr-summary FILE          only summarize an existing recording
        --out DIR                   default bench/results/perf-<timestamp>
        --quick                     fewer requests and a 20 s cap (a smoke run)""";
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    // the fake upstream runs in a process of its own, so its CPU per request is read apart from the proxy's and the driver's
    fake = switch (args.string("fake-runtime", "jvm")) {
      case "jvm" -> FakeUpstreamProcess.start(fakeOptions, args.string("fake-jvm", DEFAULT_FAKE_JVM),
        out.resolve("fake-upstream.log"));
      case "node" -> FakeUpstreamProcess.startNode(fakeOptions, out.resolve("fake-upstream.log"));
      default -> throw new IllegalArgumentException("--fake-runtime is jvm or node");
    };
    fakeCommand = fake.commandLine();
    log("fake upstream pid " + fake.pid() + " " + fake.baseUrl() + ": " + fakeOptions.describe());
    log("machine: " + Proc.machine() + "; loadavg " + Proc.loadAverage());
    LoadDriver driver = new LoadDriver();
    try {
      boolean clusterOnly = args.flag("cluster-only");
      if (!clusterOnly) {
        singleProcess(fake, driver);
      }
      if (args.flag("cluster") || clusterOnly) {
        cluster(fake, driver, clusterOnly);
      }
    } finally {
      driver.close();
      fake.close();
    }
    String report = PerfReport.render(this);
    Files.writeString(out.resolve("results.md"), report);
    Files.writeString(out.resolve("results.json"), json().encodePrettily());
    System.out.println();
    System.out.println(report);
    log("wrote " + out.resolve("results.md") + " and results.json");
  }

  /**
   * Renders the report again from saved {@code results.json} files (several are merged: their runs become repeats of
   * the same cells). The fake upstream's settings must match; they are taken from the flags.
   */
  private void rerender(List<String> files) throws IOException {
    List<String> sources = new ArrayList<>();
    for (String f : files) {
      Path file = RepoPaths.resolve(f);
      JsonObject saved = new JsonObject(Files.readString(file));
      sources.add(file + " (" + saved.getString("proxy_jvm") + ")");
      idleRssKb = Math.max(idleRssKb, saved.getLong("idle_rss_kb", -1L));
      saved.getJsonObject("idle_rss_kb_by_build", new JsonObject()).forEach(e -> idleRssByBuild.put(e.getKey(),
        ((Number) e.getValue()).longValue()));
      if (saved.containsKey("builds")) {
        builds = ProxyBuild.fromJson(saved.getJsonArray("builds"));
      }
      proxyCommand = saved.getString("proxy_command");
      fakeCommand = saved.getString("fake_command");
      saved.getJsonArray("results").forEach(o -> results.add(fromJson((JsonObject) o)));
      saved.getJsonArray("cluster_results", new JsonArray()).forEach(o -> clusterResults.add(fromJson((JsonObject) o)));
    }
    repeatOverride = (int) results.stream().filter(r -> r.scenario().target().equals(results.get(0).scenario().target())
      && r.scenario().format().equals(results.get(0).scenario().format())
      && r.scenario().concurrency() == results.get(0).scenario().concurrency()).count();
    commandLine = commandLine + "  (re-rendered from " + String.join(", ", sources) + ")";
    Files.createDirectories(out);
    String report = PerfReport.render(this);
    Files.writeString(out.resolve("results.md"), report);
    System.out.println(report);
    log("wrote " + out.resolve("results.md"));
  }

  private static ScenarioResult fromJson(JsonObject o) {
    Scenario s = new Scenario(o.getString("target"), o.getString("format"), o.getInteger("concurrency"),
      o.getInteger("requests"), 0, 0, "");
    ProxyMetrics.Delta gc = o.getValue("proxy_gc_pauses") == null ? null : new ProxyMetrics.Delta(
      o.getLong("proxy_gc_pauses"), o.getLong("proxy_gc_pause_ms"),
      o.getValue("proxy_allocated_bytes_per_request") == null ? 0 : o.getLong("proxy_allocated_bytes_per_request") * o.getInteger("ok"));
    List<String> errors = new ArrayList<>();
    o.getJsonArray("error_samples", new JsonArray()).forEach(e -> errors.add(String.valueOf(e)));
    return new ScenarioResult(s, o.getInteger("ok"), o.getInteger("errors"), o.getLong("wall_ms"), o.getLong("ttft_p50_us"),
      o.getLong("ttft_p99_us"), o.getLong("ttlb_p50_us"), o.getLong("ttlb_p90_us"), o.getLong("ttlb_p99_us"),
      o.getLong("ttlb_max_us"), o.getLong("proxy_rss_kb"), o.getLong("proxy_rss_max_kb"), o.getLong("proxy_cpu_ms"),
      o.getLong("bench_cpu_ms"), o.getString("loadavg"), errors, gc, o.getDouble("background_cpu_pct", -1d),
      o.getLong("proxy_sys_ms", -1L), o.getLong("proxy_context_switches", -1L),
      o.getLong("upstream_cpu_ms", -1L), o.getLong("proxy_jit_ms", -1L));
  }

  /** One running proxy build: its process, its /proc monitor and its label ("" without --compare). */
  private record Running(ProxyBuild build, ProxyProcess process, ProcessMonitor monitor) {
  }

  private void singleProcess(FakeUpstreamProcess fake, LoadDriver driver) throws Exception {
    Path config = writeConfig(fake, null);
    List<Running> proxies = new ArrayList<>();
    Running relay = null;
    boolean needsProxy = targets.stream().anyMatch(t -> !t.equals("upstream") && !t.equals(RelayFloorMain.TARGET));
    try {
      if (needsProxy) {
        for (ProxyBuild build : builds) {
          proxies.add(startProxy(build, config));
        }
      }
      if (targets.contains(RelayFloorMain.TARGET)) {
        relay = startRelayFloor(fake);
      }
      for (int r = 1; r <= repeat; r++) {
        for (String target : targets) {
          for (String format : formats) {
            boolean viaProxy = !target.equals("upstream");
            String model = target.equals("fusion") ? FUSION_MODEL : PASS_MODEL;
            List<Running> serving = target.equals(RelayFloorMain.TARGET) ? List.of(relay) : proxies;
            if (r == 1) {
              if (viaProxy) {
                for (Running p : serving) {
                  warmup(driver, p.build().rowName(target), format, p.process().port(), model);
                }
              } else {
                warmup(driver, target, format, fake.port(), model);
              }
            }
            for (int c : concurrency) {
              if (!viaProxy) {
                settle(driver, null, fake.port(), target, format, model);
                record(driver, new Scenario(target, format, c, requestsFor(c), timeCapMs, fake.port(), model), null, r);
                continue;
              }
              // builds alternate who goes first, so a drift in the machine's load over a pair hits both alike
              List<Running> order = new ArrayList<>(serving);
              // before every repeat, not only the first: a JVM left idle while other rows ran (JDK 17's code cache
              // sweeper retires cold code) compiles again when its row comes back
              for (Running p : order) {
                settle(driver, p.monitor(), p.process().port(), p.build().rowName(target), format, model);
              }
              if (r % 2 == 0) {
                java.util.Collections.reverse(order);
              }
              for (Running p : order) {
                Scenario s = new Scenario(p.build().rowName(target), format, c, requestsFor(c), timeCapMs,
                  p.process().port(), model);
                record(driver, s, p, r);
              }
            }
          }
        }
      }
    } finally {
      if (relay != null) {
        proxies.add(relay);
      }
      for (Running p : proxies) {
        p.monitor().close();
        driver.forget(p.process().port());
        p.process().close();
      }
    }
    if (args.flag("jfr")) {
      StringBuilder summaries = new StringBuilder();
      for (ProxyBuild build : builds) {
        Path recording = out.resolve(build.fileName("proxy", "jfr"));
        if (Files.exists(recording)) {
          String summary = JfrTop.summarize(recording, 25);
          Files.writeString(out.resolve(build.fileName("jfr-summary", "txt")), summary);
          summaries.append(build.label().isEmpty() ? "" : "== " + build.label() + " (" + RepoPaths.display(build.jar().toString())
            + ")\n").append(summary);
          log("JFR summary written to " + out.resolve(build.fileName("jfr-summary", "txt")));
        }
      }
      jfrSummary = summaries.length() == 0 ? null : summaries.toString();
    }
  }

  private Running startProxy(ProxyBuild build, Path config) throws Exception {
    String jvm = proxyJvm + (args.flag("jfr")
      ? " -XX:StartFlightRecording=filename=" + out.resolve(build.fileName("proxy", "jfr")) + ",settings=" + jfrSettings()
        + ",dumponexit=true" : "");
    ProxyProcess proxy = ProxyProcess.start(build.jar(), jvm, config, ProxyProcess.freePort(), instancesArgs(),
      out.resolve(build.fileName("proxy", "log")));
    try {
      proxy.awaitHealthy(Duration.ofSeconds(90));
    } catch (Exception e) {
      proxy.close();
      throw e;
    }
    ProcessMonitor monitor = new ProcessMonitor(List.of(proxy.pid()));
    Thread.sleep(1000);
    long idle = monitor.current();
    idleRssByBuild.put(build.label(), idle);
    idleRssKb = Math.max(idleRssKb, idle);
    proxyCommand = proxyCommand == null ? proxy.commandLine() : proxyCommand + "\n" + proxy.commandLine();
    log("proxy " + (build.label().isEmpty() ? "" : build.label() + " ") + "pid " + proxy.pid() + " on :" + proxy.port()
      + " (" + RepoPaths.display(build.jar().toString()) + "), idle RSS " + idle / 1024 + " MB");
    return new Running(build, proxy, monitor);
  }

  /** The bare relay ({@link RelayFloorMain}) in a JVM of its own with the proxy's JVM options, in front of the fake. */
  private Running startRelayFloor(FakeUpstreamProcess fake) throws Exception {
    int instances = args.integer("proxy-instances", Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    int port = ProxyProcess.freePort();
    ProxyProcess relay = ProxyProcess.startMain(proxyJvm, RelayFloorMain.class.getName(), List.of("127.0.0.1",
      Integer.toString(fake.port()), Integer.toString(port), Integer.toString(instances)), port, out.resolve("relay.log"));
    try {
      relay.awaitHealthy(Duration.ofSeconds(60));
    } catch (Exception e) {
      relay.close();
      throw e;
    }
    log("bare relay pid " + relay.pid() + " on :" + relay.port() + " (" + instances + " instances)");
    return new Running(new ProxyBuild("", jar), relay, new ProcessMonitor(List.of(relay.pid())));
  }

  /**
   * After the warm-up, rounds of {@code max(2000, 8c)} requests at the highest measured concurrency until the JIT is
   * done: in {@value #QUIET_ROUNDS} rounds in a row the proxy's compiler threads used at most {@value #JIT_SETTLED} of
   * its CPU, and the fake upstream's of its own (the fake has served every earlier cell, so it is usually warm first;
   * for the upstream-alone rows, {@code proxy} is null and the fake is the one measured).
   * C2 compiles in bursts, so one quiet round of a few seconds proves little. Without this the first measured cells
   * pay for compilation the steady state never sees. Bounded by {@code --settle-s}.
   */
  private void settle(LoadDriver driver, ProcessMonitor proxy, int port, String row, String format, String model) {
    long capMs = args.longValue("settle-s", args.flag("quick") ? 0 : 300) * 1000;
    if (capMs <= 0) {
      return;
    }
    int c = concurrency.stream().max(Integer::compare).orElse(32);
    int n = Math.max(2000, 8 * c);
    long end = System.currentTimeMillis() + capMs;
    long requests = 0;
    int quiet = 0;
    List<String> shares = new ArrayList<>();
    while (true) {
      // measure() scrapes /metrics around every run, as Prometheus does in production; the scrape shares the HTTP
      // server's code with the requests and changes its type profiles, so a warm-up without it leaves the JIT to
      // recompile the request path during the first measured run
      if (proxy != null) {
        ProxyMetrics.scrape(port);
      }
      long cpu0 = proxy == null ? 0 : proxy.cpuMillis();
      long jit0 = proxy == null ? 0 : proxy.compilerMillis();
      long fakeCpu0 = fake.cpuMillis();
      long fakeJit0 = Proc.compilerCpuMillis(fake.pid());
      ScenarioResult w = driver.run(new Scenario(row, format, c, n, timeCapMs, port, model), null, () -> -1L).await();
      requests += w.ok() + w.errors();
      double proxyJit = proxy == null ? 0 : share(proxy.compilerMillis() - jit0, proxy.cpuMillis() - cpu0);
      double fakeJit = share(Proc.compilerCpuMillis(fake.pid()) - fakeJit0, fake.cpuMillis() - fakeCpu0);
      shares.add(String.format("%.0f", 100 * (proxy == null ? fakeJit : proxyJit)));
      quiet = proxyJit <= JIT_SETTLED && fakeJit <= JIT_SETTLED ? quiet + 1 : 0;
      if (quiet >= QUIET_ROUNDS || System.currentTimeMillis() > end) {
        String line = String.format("%s %s: %d more requests at c=%d, the JIT's share of the %s's CPU by round (%%): "
          + "%s%s", row, format, requests, c, proxy == null ? "fake" : "proxy", String.join(" ", shares),
          quiet >= QUIET_ROUNDS ? "" : " (not settled within --settle-s)");
        log("settle " + line);
        if (shares.size() > QUIET_ROUNDS || quiet < QUIET_ROUNDS) {
          notes.add(line);
        }
        return;
      }
    }
  }

  /** Quiet rounds in a row that count as settled. */
  static final int QUIET_ROUNDS = 2;

  /** Above this share of a process's CPU in its compiler threads, its JIT is still warming up. */
  static final double JIT_SETTLED = 0.03;

  private static double share(long part, long whole) {
    return whole <= 0 ? 0 : Math.max(0, (double) part) / whole;
  }

  private void record(LoadDriver driver, Scenario s, Running proxy, int r) throws InterruptedException {
    ScenarioResult res = measure(driver, s, proxy == null ? null : proxy.monitor(), proxy == null ? -1 : proxy.process().port());
    results.add(res);
    if (proxy != null && proxyJvm.contains("NativeMemoryTracking")) {
      nativeMemory(proxy.process().pid(), s.target().replace('@', '-') + "-" + s.format() + "-c" + s.concurrency());
    }
    log(String.format("run %d/%d %-18s %-4s c=%-3d ok=%-5d err=%-3d rps=%8.1f ttft p50=%7.1f ms ttlb p50=%7.1f p99=%7.1f ms"
        + " rss=%s gc=%s bg=%.0f%% loadavg %s", r, repeat, s.target(), s.format(), s.concurrency(), res.ok(), res.errors(),
      res.rps(), res.ttftP50() / 1000.0, res.ttlbP50() / 1000.0, res.ttlbP99() / 1000.0,
      res.proxyRssMaxKb() < 0 ? "-" : res.proxyRssMaxKb() / 1024 + "MB",
      res.proxyGc() == null ? "-" : res.proxyGc().pauses() + "/" + res.proxyGc().pauseMs() + "ms",
      res.backgroundCpuPct(), res.loadAvg()));
    if (!res.errorSamples().isEmpty()) {
      log("  errors: " + res.errorSamples());
    }
  }

  /**
   * One measured scenario: first the machine's background CPU (harness idle), waiting while other tenants keep it
   * busier than {@code --quiet-below} percent (at most {@code --quiet-wait-s}), then the run, with the proxy's GC
   * counters read from its /metrics before and after.
   */
  private ScenarioResult measure(LoadDriver driver, Scenario s, ProcessMonitor monitor, int metricsPort)
      throws InterruptedException {
    double quietBelow = args.number("quiet-below", 0);
    long waitUntil = System.currentTimeMillis() + args.longValue("quiet-wait-s", 180) * 1000;
    double background = Proc.cpuBusyFraction(1000);
    while (quietBelow > 0 && background * 100 > quietBelow && System.currentTimeMillis() < waitUntil) {
      log(String.format("machine %.0f%% busy before %s %s c=%d; waiting for < %.0f%%", background * 100, s.target(),
        s.format(), s.concurrency(), quietBelow));
      Thread.sleep(4000);
      background = Proc.cpuBusyFraction(1000);
    }
    ProxyMetrics.Snapshot before = metricsPort > 0 ? ProxyMetrics.scrape(metricsPort) : null;
    long sys0 = monitor == null ? -1 : monitor.sysMillis();
    long cs0 = monitor == null ? -1 : monitor.contextSwitches();
    long jit0 = monitor == null ? -1 : monitor.compilerMillis();
    long up0 = fake == null ? -1 : fake.cpuMillis();
    ScenarioResult res = driver.run(s, monitor, monitor == null ? () -> -1L : monitor::cpuMillis).await();
    long up1 = fake == null ? -1 : fake.cpuMillis();
    long sys1 = monitor == null ? -1 : monitor.sysMillis();
    long cs1 = monitor == null ? -1 : monitor.contextSwitches();
    long jit1 = monitor == null ? -1 : monitor.compilerMillis();
    ProxyMetrics.Snapshot after = metricsPort > 0 ? ProxyMetrics.scrape(metricsPort) : null;
    return res.with(before == null || after == null ? null : after.minus(before), background < 0 ? -1 : background * 100,
      sys0 < 0 || sys1 < 0 ? -1 : sys1 - sys0, cs0 < 0 || cs1 < 0 ? -1 : cs1 - cs0, up0 < 0 || up1 < 0 ? -1 : up1 - up0,
      jit0 < 0 || jit1 < 0 ? -1 : jit1 - jit0);
  }

  /** With {@code -XX:NativeMemoryTracking=summary} in --proxy-jvm: where the proxy's resident memory went. */
  private void nativeMemory(long pid, String label) {
    try {
      Path file = out.resolve("nmt-" + label + ".txt");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
        "VM.native_memory", "summary").redirectErrorStream(true).redirectOutput(file.toFile()).start();
      p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      Files.writeString(file, "VmRSS " + Proc.rssKb(pid) + " kB\n" + Files.readString(file));
    } catch (IOException | InterruptedException e) {
      log("jcmd VM.native_memory failed: " + e);
    }
  }

  private List<String> instancesArgs() {
    return args.has("proxy-instances") ? List.of("--instances", args.string("proxy-instances", "2")) : List.of();
  }

  /** The JDK's {@code profile} settings with Java and native method sampling every 2 ms instead of 10 / 20 ms. */
  private Path jfrSettings() throws IOException {
    Path source = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
    String jfc = Files.readString(source)
      .replace("<setting name=\"period\" control=\"method-sampling-java-interval\">10 ms</setting>",
        "<setting name=\"period\" control=\"method-sampling-java-interval\">2 ms</setting>")
      .replace("<setting name=\"period\" control=\"method-sampling-native-interval\">20 ms</setting>",
        "<setting name=\"period\" control=\"method-sampling-native-interval\">2 ms</setting>");
    Path target = out.resolve("profile-2ms.jfc");
    Files.writeString(target, jfc);
    return target;
  }

  /** JIT warm-up and connection pools: a few hundred requests at c=32, not recorded. */
  private void warmup(LoadDriver driver, String target, String format, int port, String model) {
    int n = args.integer("warmup", args.flag("quick") ? 100 : 300);
    if (n <= 0) {
      return;
    }
    ScenarioResult w = driver.run(new Scenario(target, format, 32, n, timeCapMs, port, model), null, () -> -1L).await();
    log(String.format("warm-up %-11s %-4s %d requests, %d errors%s", target, format, w.ok() + w.errors(), w.errors(),
      w.errorSamples().isEmpty() ? "" : " " + w.errorSamples()));
  }

  int requestsFor(int c) {
    if (args.has("requests")) {
      return args.integer("requests", 100);
    }
    if (args.flag("quick")) {
      return c == 1 ? 15 : Math.max(64, 4 * c);
    }
    return c == 1 ? 40 : Math.max(128, 8 * c);
  }

  private void cluster(FakeUpstreamProcess fake, LoadDriver driver, boolean clusterOnly) throws Exception {
    List<Integer> cs = args.integers("cluster-concurrency", List.of(1, 16));
    int hzPort = args.integer("cluster-port", 27000 + ThreadLocalRandom.current().nextInt(0, 900));
    String name = "openfusion-bench-" + UUID.randomUUID();
    Path config = writeConfig(fake, new JsonObject().put("name", name).put("port", hzPort));
    if (clusterOnly) {
      // the single-process baseline the cluster is compared with, measured now on the same box
      ProxyProcess single = ProxyProcess.start(jar, proxyJvm, writeConfig(fake, null), ProxyProcess.freePort(),
        instancesArgs(), out.resolve("proxy.log"));
      proxyCommand = single.commandLine();
      try (ProcessMonitor m = new ProcessMonitor(List.of(single.pid()))) {
        single.awaitHealthy(Duration.ofSeconds(90));
        runFusionRows(driver, single.port(), cs, "fusion", m, results);
      } finally {
        driver.forget(single.port());
        single.close();
      }
    }
    List<String> common = List.of("--cluster", "--cluster-name", name, "--cluster-port", Integer.toString(hzPort),
      "--cluster-members", "127.0.0.1", "--cluster-host", "127.0.0.1");
    List<String> panelArgs = new ArrayList<>(common);
    panelArgs.addAll(List.of("--roles", "panel"));
    panelArgs.addAll(instancesArgs());
    List<String> apiArgs = new ArrayList<>(common);
    apiArgs.addAll(List.of("--roles", "api,router,judge"));
    apiArgs.addAll(instancesArgs());
    ProxyProcess panelNode = ProxyProcess.start(jar, proxyJvm, config, -1, panelArgs, out.resolve("cluster-panel.log"));
    ProxyProcess apiNode = null;
    try {
      Thread.sleep(3000); // let the first member form the cluster before the second joins
      apiNode = ProxyProcess.start(jar, proxyJvm, config, ProxyProcess.freePort(), apiArgs, out.resolve("cluster-api.log"));
      clusterCommand = panelNode.commandLine() + "\n" + apiNode.commandLine();
      apiNode.awaitHealthy(Duration.ofSeconds(120));
      awaitFusion(driver, apiNode.port());
      log("cluster up: panel node pid " + panelNode.pid() + ", api node pid " + apiNode.pid() + " on :" + apiNode.port()
        + ", hazelcast port " + hzPort);
      try (ProcessMonitor m = new ProcessMonitor(List.of(apiNode.pid(), panelNode.pid()))) {
        runFusionRows(driver, apiNode.port(), cs, "fusion-cluster", m, clusterResults);
      }
    } finally {
      if (apiNode != null) {
        driver.forget(apiNode.port());
        apiNode.close();
      }
      panelNode.close();
    }
  }

  private void runFusionRows(LoadDriver driver, int port, List<Integer> cs, String label, ProcessMonitor m,
                             List<ScenarioResult> into) throws InterruptedException {
    for (String format : formats) {
      warmup(driver, label, format, port, FUSION_MODEL);
      for (int r = 1; r <= repeat; r++) {
        for (int c : cs) {
          ScenarioResult res = measure(driver, new Scenario(label, format, c, requestsFor(c), timeCapMs, port, FUSION_MODEL),
            m, port);
          into.add(res);
          log(String.format("run %d/%d %-14s %-4s c=%-3d ok=%-5d err=%-3d rps=%8.1f ttlb p50=%7.1f ms p99=%7.1f ms loadavg %s",
            r, repeat, label, format, c, res.ok(), res.errors(), res.rps(), res.ttlbP50() / 1000.0, res.ttlbP99() / 1000.0,
            res.loadAvg()));
          if (!res.errorSamples().isEmpty()) {
            log("  errors: " + res.errorSamples());
          }
        }
      }
    }
  }

  /** A cluster answers no_workers until the panel node's consumers are known to the api node. */
  private void awaitFusion(LoadDriver driver, int port) throws InterruptedException {
    long end = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < end) {
      ScenarioResult probe = driver.run(new Scenario("probe", "json", 1, 1, 30_000, port, FUSION_MODEL), null, () -> -1L).await();
      if (probe.ok() == 1) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the cluster never answered a fusion request");
  }

  private Path writeConfig(FakeUpstreamProcess fake, JsonObject cluster) throws IOException {
    String base = fake.baseUrl();
    StringBuilder y = FakeRecipe.yaml("the bench harness", base, 3, PASS_MODEL);
    y.append("timeouts: {member_seconds: 60, judge_seconds: 60, total_seconds: 120, first_token_seconds: 60, idle_seconds: 60}\n");
    y.append("server: {host: 127.0.0.1}\n");
    if (cluster != null) {
      y.append("cluster: {name: ").append(cluster.getString("name")).append(", members: [\"127.0.0.1\"], port: ")
        .append(cluster.getInteger("port")).append(", host: 127.0.0.1}\n");
    }
    Path file = out.resolve(cluster == null ? "proxy.yaml" : "cluster.yaml");
    Files.writeString(file, y.toString());
    return file;
  }

  private JsonObject json() {
    JsonArray rows = new JsonArray();
    results.forEach(r -> rows.add(r.toJson()));
    JsonArray clusterRows = new JsonArray();
    clusterResults.forEach(r -> clusterRows.add(r.toJson()));
    return new JsonObject()
      .put("machine", Proc.machine())
      .put("fake_upstream", fakeOptions.describe())
      .put("proxy_jvm", proxyJvm)
      .put("proxy_command", proxyCommand)
      .put("fake_command", fakeCommand)
      .put("idle_rss_kb", idleRssKb)
      .put("idle_rss_kb_by_build", new JsonObject(new java.util.LinkedHashMap<>(idleRssByBuild)))
      .put("builds", ProxyBuild.toJson(builds))
      .put("repeat", repeat)
      .put("command", commandLine)
      .put("results", rows)
      .put("cluster_results", clusterRows)
      .put("targets", PerfReport.targetsJson(this));
  }

  private static void log(String line) {
    System.out.println("[perf " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
  }

  // ---- accessors for the report ----

  FakeUpstreamOptions fakeOptions() {
    return fakeOptions;
  }

  List<ScenarioResult> results() {
    return results;
  }

  List<ScenarioResult> clusterResults() {
    return clusterResults;
  }

  List<Integer> concurrency() {
    return concurrency;
  }

  List<String> formats() {
    return formats;
  }

  int repeat() {
    return repeatOverride > 0 ? repeatOverride : repeat;
  }

  String proxyJvm() {
    return proxyJvm;
  }

  String fakeCommand() {
    return fakeCommand;
  }

  String proxyCommand() {
    return proxyCommand;
  }

  String clusterCommand() {
    return clusterCommand;
  }

  long idleRssKb() {
    return idleRssKb;
  }

  java.util.Map<String, Long> idleRssByBuild() {
    return idleRssByBuild;
  }

  List<ProxyBuild> builds() {
    return builds;
  }

  String jfrSummary() {
    return jfrSummary;
  }

  /** How long each row warmed up before its JIT settled ({@code --settle-s}). */
  List<String> notes() {
    return notes;
  }

  Path out() {
    return out;
  }

  String commandLine() {
    return commandLine;
  }
}
