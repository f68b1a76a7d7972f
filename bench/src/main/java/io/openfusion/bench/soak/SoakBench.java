package io.openfusion.bench.soak;

import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.perf.ProxyProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench soak}: a cluster under a steady, mixed load for a long time, to show that nothing grows with uptime and
 * nothing is lost. Four nodes on loopback, in a uniquely named cluster: {@code a1} runs every role and is the node
 * under watch, {@code a2} runs api, router and judge, {@code p1} and {@code p2} run panel workers. The load
 * ({@link SoakLoad}) mixes fusion and pass-through, streamed and not, clients that leave mid-stream and a flaky upstream
 * model ({@link SoakUpstream}: 500s, resets, slow drips). Half-way, {@code a2} and {@code p2} are replaced as a rolling
 * update does it (the new node first, then SIGTERM to the old one). Every {@code --sample-s} the harness reads each
 * node's RSS from {@code /proc} and the api nodes' {@code /metrics}. Verdicts: RSS after warm-up within 10 % of its
 * median, the per-request gauges back to 0 once the load stops, cluster maps not growing, 0 lost requests.
 */
public final class SoakBench {

  private static final Set<String> OPTIONS = Set.of("duration", "concurrency", "sample-s", "warmup-fraction",
    "fault-rate", "jar", "proxy-jvm", "out", "quiet-below", "quiet-wait-s", "cluster-port", "help");
  /** A node's stop: the grace of the soak's config (10 s), the withdrawal's settling and leaving the cluster (15 s). */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();

  private SoakBench() {
  }

  /** @return 0 when every verdict passed, 1 otherwise */
  public static int execute(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      System.out.println("""
        soak [--duration 20m] [--concurrency 8] [--sample-s 10] [--warmup-fraction 0.25] [--fault-rate 0.3]
             [--jar app/target/openfusion.jar] [--proxy-jvm "-Xms256m -Xmx256m -XX:+AlwaysPreTouch ..."] [--out bench/results/soak-<time>]
             [--quiet-below 60] [--quiet-wait-s 300] [--cluster-port 29000-29899 at random]
        --duration takes minutes (20, 20m) or seconds (90s); 2m is the short form for development.""");
      return 0;
    }
    args.checkKnown(OPTIONS);
    SoakRun run = new SoakRun();
    run.minutes = durationMinutes(args.string("duration", "20m"));
    run.concurrency = args.integer("concurrency", 8);
    run.sampleS = args.integer("sample-s", run.minutes < 5 ? 5 : 10);
    run.warmupFraction = args.number("warmup-fraction", 0.25);
    run.faultRate = args.number("fault-rate", 0.3);
    Path jar = RepoPaths.resolve(args.string("jar", "app/target/openfusion.jar"));
    // a fixed heap, touched whole at start: RSS then moves only with what lives outside the heap (direct buffers,
    // threads, metaspace), not with G1 sizing the heap or first touching its regions, which on a panel node with
    // little allocation takes longer than the warm-up; the heap itself is watched through jvm_heap_used_mb
    String jvm = args.string("proxy-jvm", "-Xms256m -Xmx256m -XX:+AlwaysPreTouch -Dlogback.configurationFile="
      + RepoPaths.resolve("bench/config/quiet-logback.xml"));
    Path out = RepoPaths.resolve(args.string("out", "bench/results/soak-"
      + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"))));
    Files.createDirectories(out);
    int clusterPort = args.integer("cluster-port", 29_000 + ThreadLocalRandom.current().nextInt(0, 900));
    run.commandLine = "soak " + String.join(" ", argv);
    run.machine = Proc.machine();
    waitForQuiet(run, args.number("quiet-below", 60), args.longValue("quiet-wait-s", 300));
    execute(run, jar, jvm, out, clusterPort);
    Files.writeString(out.resolve("results.md"), SoakReport.markdown(run));
    Files.writeString(out.resolve("samples.csv"), SoakReport.csv(run));
    log("wrote " + RepoPaths.display(out.resolve("results.md").toString()) + " and samples.csv");
    System.out.println(SoakReport.markdown(run));
    return SoakReport.verdicts(run).stream().allMatch(SoakReport.Verdict::pass) ? 0 : 1;
  }

  /** {@code --duration}: minutes ({@code 20}, {@code 20m}) or seconds ({@code 90s}). */
  static double durationMinutes(String text) {
    String value = text.trim().toLowerCase();
    double minutes;
    try {
      if (value.endsWith("s")) {
        minutes = Double.parseDouble(value.substring(0, value.length() - 1)) / 60;
      } else {
        minutes = Double.parseDouble(value.endsWith("m") ? value.substring(0, value.length() - 1) : value);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--duration takes minutes (20, 20m) or seconds (90s), not " + text);
    }
    if (!(minutes > 0)) {
      throw new IllegalArgumentException("--duration must be positive, not " + text);
    }
    return minutes;
  }

  /** Waits, at most {@code waitS}, for the other tenants of the machine to leave it under {@code belowPercent} busy. */
  private static void waitForQuiet(SoakRun run, double belowPercent, long waitS) {
    long start = System.currentTimeMillis();
    double busy = Proc.cpuBusyFraction(2_000);
    while (belowPercent > 0 && busy * 100 > belowPercent && System.currentTimeMillis() - start < waitS * 1000) {
      log(String.format("machine %.0f %% busy (load %s); waiting for under %.0f %%", busy * 100, Proc.loadAverage(),
        belowPercent));
      sleep(10_000);
      busy = Proc.cpuBusyFraction(2_000);
    }
    run.waitedForQuietS = (System.currentTimeMillis() - start) / 1000;
    run.busyAtStart = busy;
    run.loadAtStart = Proc.loadAverage();
  }

  private static void execute(SoakRun run, Path jar, String jvm, Path out, int clusterPort) throws Exception {
    Vertx vertx = Vertx.vertx();
    SoakUpstream upstream = new SoakUpstream(vertx, 60, 20, 24, run.faultRate).start().await();
    Path config = out.resolve("soak-config.json");
    Files.writeString(config, config(upstream.baseUrl()).encodePrettily());
    String name = "openfusion-soak-" + UUID.randomUUID();
    List<String> cluster = List.of("--cluster", "--cluster-name", name, "--cluster-port", Integer.toString(clusterPort),
      "--cluster-members", "127.0.0.1", "--cluster-host", "127.0.0.1", "--instances", "2");
    Map<String, ProxyProcess> nodes = new LinkedHashMap<>();
    // a bound on the load whatever happens: far more than 8 clients can send at about a second a request
    SoakLoad load = new SoakLoad(vertx, run.concurrency, (int) (run.minutes * 60 * 200), run.tally);
    try {
      nodes.put("a1", node(jar, jvm, config, cluster, "api,router,panel,judge", true, out, "a1"));
      nodes.put("a2", node(jar, jvm, config, cluster, "api,router,judge", true, out, "a2"));
      nodes.put("p1", node(jar, jvm, config, cluster, "panel", false, out, "p1"));
      nodes.put("p2", node(jar, jvm, config, cluster, "panel", false, out, "p2"));
      for (ProxyProcess node : nodes.values()) {
        if (node.port() > 0) {
          node.awaitHealthy(Duration.ofSeconds(180));
        }
      }
      awaitMembers(nodes.get("a1").port(), 4);
      log("cluster of 4 up; load " + Proc.loadAverage());
      run.checkpoints.put("start (idle)", sample(run, nodes, 0));
      load.addBackend(nodes.get("a1").port());
      load.addBackend(nodes.get("a2").port());

      long durationMs = (long) (run.minutes * 60_000);
      long warmupMs = (long) (durationMs * run.warmupFraction);
      long restartAtMs = durationMs / 2;
      long started = System.currentTimeMillis();
      run.loadStarted = started;
      var clients = load.run(run.concurrency);
      boolean warmedUp = false;
      boolean restarted = false;
      long nextSample = started + run.sampleS * 1000L;
      while (System.currentTimeMillis() - started < durationMs) {
        long now = System.currentTimeMillis();
        if (!restarted && now - started >= restartAtMs) {
          restarted = true;
          rollingRestart(run, nodes, load, jar, jvm, config, cluster, out);
          continue;
        }
        if (now >= nextSample) {
          Sample s = sample(run, nodes, now - started);
          if (!warmedUp && now - started >= warmupMs) {
            warmedUp = true;
            run.warmupSampleIndex = run.samples.size() - 1;
            run.checkpoints.put("warm-up end", s);
          }
          nextSample += run.sampleS * 1000L;
          log(s.describe());
          continue;
        }
        sleep(Math.min(500, nextSample - now));
      }
      run.checkpoints.put("end of load", sample(run, nodes, System.currentTimeMillis() - started));
      load.stop();
      clients.await(120, TimeUnit.SECONDS);
      sleep(5_000);
      run.checkpoints.put("idle after load", sample(run, nodes, System.currentTimeMillis() - started));
      run.loadAtEnd = Proc.loadAverage();
      run.upstreamRequests = upstream.requests();
      run.upstreamFaults = upstream.faults();
    } finally {
      // the api nodes first, so their requests end before the workers go
      nodes.entrySet().stream().filter(e -> e.getValue().port() > 0).forEach(e -> e.getValue().close());
      nodes.values().forEach(ProxyProcess::close);
      upstream.stop().await();
      vertx.close().await();
    }
  }

  /** Replaces {@code a2} and {@code p2} the way a rolling update does: each new node first, then SIGTERM to the old. */
  private static void rollingRestart(SoakRun run, Map<String, ProxyProcess> nodes, SoakLoad load, Path jar, String jvm,
                                     Path config, List<String> cluster, Path out) throws Exception {
    long t0 = System.currentTimeMillis();
    log("rolling restart: p2 -> p3, a2 -> a3");
    nodes.put("p3", node(jar, jvm, config, cluster, "panel", false, out, "p3"));
    awaitMembers(nodes.get("a1").port(), 5);
    long p2Stop = nodes.remove("p2").terminate(STOP_TIMEOUT);
    ProxyProcess a3 = node(jar, jvm, config, cluster, "api,router,judge", true, out, "a3");
    nodes.put("a3", a3);
    a3.awaitHealthy(Duration.ofSeconds(180));
    awaitMembers(nodes.get("a1").port(), 5);
    load.addBackend(a3.port());
    long a2Stop = nodes.remove("a2").terminate(STOP_TIMEOUT);
    run.restart = String.format("p2 replaced by p3 (p2 stopped in %d ms after SIGTERM), a2 replaced by a3 (a2 stopped in"
      + " %d ms); the whole restart took %d ms, from %.0f s into the load", p2Stop, a2Stop,
      System.currentTimeMillis() - t0, (t0 - run.loadStarted) / 1000.0);
    log(run.restart);
  }

  private static ProxyProcess node(Path jar, String jvm, Path config, List<String> cluster, String roles, boolean http,
                                   Path out, String name) throws IOException {
    List<String> args = new ArrayList<>(cluster);
    args.addAll(List.of("--roles", roles));
    return ProxyProcess.start(jar, jvm, config, http ? ProxyProcess.freePort() : -1, args, out.resolve("node-" + name + ".log"));
  }

  private static Sample sample(SoakRun run, Map<String, ProxyProcess> nodes, long atMs) {
    Map<String, Long> rss = new LinkedHashMap<>();
    Map<String, NodeGauges> gauges = new LinkedHashMap<>();
    nodes.forEach((name, node) -> {
      if (node.alive()) {
        rss.put(name, Proc.rssKb(node.pid()));
        if (node.port() > 0) {
          NodeGauges g = NodeGauges.scrape(node.port());
          if (g != null) {
            gauges.put(name, g);
          }
        }
      }
    });
    SoakTally tally = run.tally;
    Sample sample = new Sample(atMs, rss, gauges, Proc.loadAverage(), tally.total(SoakTally.Outcome.OK),
      tally.total(SoakTally.Outcome.DEFINED_ERROR), tally.total(SoakTally.Outcome.LEFT),
      tally.total(SoakTally.Outcome.LOST), tally.refused());
    run.samples.add(sample);
    return sample;
  }

  /** Waits until the node on {@code port} lists {@code count} cluster members. */
  private static void awaitMembers(int port, int count) throws InterruptedException {
    long end = System.currentTimeMillis() + 180_000;
    while (System.currentTimeMillis() < end) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/cluster"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && new JsonObject(r.body()).getJsonArray("nodes").size() == count) {
          return;
        }
      } catch (IOException ignored) {
        // not answering yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the cluster did not reach " + count + " nodes");
  }

  /**
   * Three members (two steady, one flaky) and a steady judge; timeouts short enough that a slow drip fails within
   * seconds; a rate limit high enough never to refuse, so its windows fill the rate-limit map all along.
   */
  static JsonObject config(String baseUrl) {
    JsonArray panel = new JsonArray()
      .add(upstream(baseUrl, SoakUpstream.STEADY).put("label", "steady-1"))
      .add(upstream(baseUrl, SoakUpstream.STEADY).put("label", "steady-2"))
      .add(upstream(baseUrl, SoakUpstream.FLAKY).put("label", "flaky"));
    return new JsonObject()
      .put("strategy", "panel").put("aggregator", "judge")
      .put("panel", panel)
      .put("judge", upstream(baseUrl, SoakUpstream.STEADY))
      .put("pass_through", upstream(baseUrl, SoakUpstream.STEADY))
      .put("tools", new JsonObject().put("web_search", false).put("web_fetch", false))
      .put("timeouts", new JsonObject().put("total_seconds", 30).put("member_seconds", 10).put("judge_seconds", 15)
        .put("first_token_seconds", 3).put("idle_seconds", 2))
      .put("limits", new JsonObject().put("rate_limit_per_minute", 1_000_000).put("max_in_flight", 256))
      .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("shutdown_grace_seconds", 10));
  }

  private static JsonObject upstream(String baseUrl, String model) {
    return new JsonObject().put("base_url", baseUrl).put("api_key", "soak-key").put("model", model);
  }

  static void log(String line) {
    System.out.println("[soak " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(Math.max(1, ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** One reading: when, each live node's RSS, the api nodes' gauges, the machine's load and the request counts so far. */
  record Sample(long atMs, Map<String, Long> rssKb, Map<String, NodeGauges> gauges, String load, long ok,
                long definedErrors, long left, long lost, long refused) {

    String describe() {
      NodeGauges a1 = gauges.get("a1");
      return String.format("t=%ds rss %s | a1 per-request %s, maps %s | ok %d, defined errors %d, left %d, refused %d,"
          + " LOST %d | load %s", atMs / 1000, rssKb, a1 == null ? "?" : (long) a1.perRequestTotal(),
        a1 == null ? "?" : (long) a1.mapEntries(), ok, definedErrors, left, refused, lost, load);
    }
  }

  /** Everything one soak measured, for the report. */
  static final class SoakRun {
    double minutes;
    int concurrency;
    int sampleS;
    double warmupFraction;
    double faultRate;
    String commandLine;
    String machine;
    long waitedForQuietS;
    double busyAtStart;
    String loadAtStart;
    String loadAtEnd;
    long loadStarted;
    int warmupSampleIndex = -1;
    String restart = "not reached";
    long upstreamRequests;
    long upstreamFaults;
    final SoakTally tally = new SoakTally();
    final List<Sample> samples = new ArrayList<>();
    final Map<String, Sample> checkpoints = new LinkedHashMap<>();
  }
}
