package io.openfusion.bench.slow;

import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.FakeRecipe;
import io.openfusion.bench.common.Futures;
import io.openfusion.bench.common.MachineCpu;
import io.openfusion.bench.common.Percentiles;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.perf.LoadDriver;
import io.openfusion.bench.perf.ProcessMonitor;
import io.openfusion.bench.perf.ProxyBuild;
import io.openfusion.bench.perf.ProxyMetrics;
import io.openfusion.bench.perf.ProxyProcess;
import io.openfusion.bench.perf.Scenario;
import io.openfusion.bench.perf.ScenarioResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The slow-reader harness. A fake upstream ({@link LongStreamUpstream}) streams long answers as fast as its connection
 * takes them; {@code --clients} clients ({@link SlowReaders}) ask the proxy for them and read at {@code --read-kib-s}
 * for {@code --slow-s}, then as fast as they can. A proxy that holds its upstream back while a client is slow keeps
 * its memory flat and the upstream calls open and waiting; one that reads the upstream at full speed buffers the rest
 * of every answer and finishes the upstream calls in seconds. Per run (one fresh proxy each, so the idle RSS is its
 * own) it reports the proxy's RSS growth over idle, the upstream's side (bytes written per stream, streams waiting
 * for the proxy to read, finished, cut), and when the proxy logged each request as done against when its client had
 * the last byte.
 */
public final class SlowBench {

  static final String FUSION_MODEL = FakeRecipe.FUSION_MODEL;
  static final String PASS_MODEL = "fake/pt";

  private final SlowOptions o;
  private final List<SlowRun> runs = new ArrayList<>();
  private String commandLine;
  private String fakeDescription;

  private SlowBench(SlowOptions o) {
    this.o = o;
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      System.out.println(SlowOptions.usage());
      return;
    }
    SlowBench bench = new SlowBench(SlowOptions.parse(args));
    bench.commandLine = "slow " + String.join(" ", argv);
    bench.run();
  }

  private void run() throws Exception {
    Files.createDirectories(o.out());
    for (ProxyBuild b : o.builds()) {
      if (!Files.isRegularFile(b.jar())) {
        throw new IOException("proxy jar not found: " + b.jar());
      }
    }
    Vertx fakeVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    LongStreamUpstream fake = LongStreamUpstream.start(fakeVertx, o.chunks(), o.chunkBytes()).await();
    fakeDescription = fake.describe();
    log("fake upstream " + fake.baseUrl() + ": " + fakeDescription);
    log("machine: " + Proc.machine() + "; loadavg " + Proc.loadAverage());
    LoadDriver warmer = new LoadDriver();
    try {
      for (int r = 1; r <= o.repeat(); r++) {
        for (String target : o.targets()) {
          List<ProxyBuild> order = new ArrayList<>(o.builds());
          if (r % 2 == 0) {
            Collections.reverse(order);
          }
          for (ProxyBuild build : order) {
            SlowRun run = runOne(fake, clientVertx, warmer, target, build, r);
            runs.add(run);
            log(SlowReport.oneLine(run, o));
          }
        }
      }
    } finally {
      warmer.close();
      Futures.awaitClose(fake.stop(), 10, "fake upstream");
      Futures.awaitClose(fakeVertx.close(), 15, "fake Vert.x");
      Futures.awaitClose(clientVertx.close(), 15, "client Vert.x");
    }
    String report = SlowReport.render(runs, o, commandLine, fakeDescription);
    Files.writeString(o.out().resolve("results.md"), report);
    Files.writeString(o.out().resolve("results.json"), json().encodePrettily());
    System.out.println();
    System.out.println(report);
    log("wrote " + o.out().resolve("results.md") + " and results.json");
  }

  private SlowRun runOne(LongStreamUpstream fake, Vertx clientVertx, LoadDriver warmer, String target, ProxyBuild build,
                         int r) throws Exception {
    String tag = build.label().isEmpty() ? "" : "-" + build.label();
    String prefix = "slow-r" + r + tag + "-" + (target.equals("fusion") ? "fu" : "pt") + "-";
    Path config = writeConfig(fake, target);
    Path logFile = o.out().resolve("proxy-" + target + tag + "-r" + r + ".log");
    double busyBefore = quietMachine(target, build);
    String loadStart = Proc.loadAverage();
    Path recording = o.out().resolve("proxy-" + target + tag + "-r" + r + ".jfr");
    String jvm = o.proxyJvm() + (o.jfr() ? " -XX:StartFlightRecording=settings=profile,filename=" + recording : "");
    ProxyProcess proxy = ProxyProcess.start(build.jar(), jvm, config, ProxyProcess.freePort(), List.of(), logFile);
    String model = target.equals("fusion") ? FUSION_MODEL : PASS_MODEL;
    ProcessMonitor monitor = null;
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(t -> {
      Thread th = new Thread(t, "bench-slow-timeline");
      th.setDaemon(true);
      return th;
    });
    SlowReaders readers = null;
    try {
      proxy.awaitHealthy(Duration.ofSeconds(90));
      monitor = new ProcessMonitor(List.of(proxy.pid()));
      if (o.warmup() > 0) {
        ScenarioResult w = warmer.run(new Scenario("warm-up", "sse", 8, o.warmup(), 60_000, proxy.port(), model), null,
          () -> -1L).await();
        log(String.format("%s%s: warm-up %d short streams, %d errors%s", target, tag, w.ok() + w.errors(), w.errors(),
          w.errorSamples().isEmpty() ? "" : " " + w.errorSamples()));
      }
      warmer.forget(proxy.port());
      if (o.warmupStreams() > 0) {
        // the same long answers read at full speed: the heap and the buffer pools grow to what moving this much data
        // takes anyway, so the growth measured next is what slow readers add, not what any traffic of this size costs
        List<String> warmIds = new ArrayList<>();
        for (int i = 1; i <= o.warmupStreams(); i++) {
          warmIds.add("warm-" + prefix + String.format("%02d", i));
        }
        SlowReaders fast = new SlowReaders(clientVertx, proxy.port(), warmIds.size(), o.bytesPerSecond(), o.rcvbufBytes());
        fast.start(warmIds, model, true);
        fast.hurry();
        boolean ended = fast.awaitEnd(120);
        long ok = fast.readers().stream().filter(SlowReaders.Reader::ok).count();
        fast.close();
        log(String.format("%s%s: warm-up %d long streams read at full speed: %d ok%s, proxy RSS %d MB", target, tag,
          warmIds.size(), ok, ended ? "" : " (cut at 120 s)", monitor.current() / 1024));
      }
      Thread.sleep(3000);
      long idle = idleRss(monitor);
      ProxyMetrics.Heap idleHeap = ProxyMetrics.heap(proxy.port());
      log(String.format("%s%s: proxy pid %d, idle RSS %d MB (heap committed %s MB); %d clients start", target, tag,
        proxy.pid(), idle / 1024, idleHeap == null ? "?" : Long.toString(idleHeap.committedBytes() >> 20), o.clients()));

      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= o.clients(); i++) {
        ids.add(prefix + String.format("%02d", i));
      }
      readers = new SlowReaders(clientVertx, proxy.port(), o.clients(), o.bytesPerSecond(), o.rcvbufBytes());
      List<SlowRun.Sample> timeline = new CopyOnWriteArrayList<>();
      long t0 = System.currentTimeMillis();
      SlowReaders rd = readers;
      ProcessMonitor mon = monitor;
      int proxyPort = proxy.port();
      sampler.scheduleAtFixedRate(() -> timeline.add(sample(t0, mon, fake, prefix, rd, proxyPort)), 0, 1, TimeUnit.SECONDS);
      MachineCpu cpu0 = MachineCpu.now();
      long proxyCpu0 = Proc.cpuMillis(proxy.pid());
      monitor.resetMax();
      readers.start(ids, model, true);
      long slowEndAt = t0 + o.slowS() * 1000L;
      while (System.currentTimeMillis() < slowEndAt && proxy.alive()) {
        Thread.sleep(Math.min(1000, Math.max(1, slowEndAt - System.currentTimeMillis())));
      }
      long slowMax = monitor.max();
      long slowEndRss = monitor.current();
      long proxyCpuSlow = Proc.cpuMillis(proxy.pid()) - proxyCpu0;
      double busyDuring = MachineCpu.now().busyPercentSince(cpu0);
      long slowEndAtMs = System.currentTimeMillis();
      SlowRun.Snapshot atSlowEnd = snapshot(fake, prefix, readers, proxy.port());
      log(String.format("%s%s: end of the slow phase: RSS max %d MB (+%d MB over idle); upstream %d streams, %d open, "
          + "%d waiting for the proxy, %d finished, median written %.2f MB", target, tag, slowMax / 1024,
        (slowMax - idle) / 1024, atSlowEnd.streams(), atSlowEnd.open(), atSlowEnd.waiting(), atSlowEnd.finished(),
        atSlowEnd.writtenMed() / 1e6));

      if (o.jfr()) {
        retained(proxy.pid(), recording, o.out().resolve("retained-" + target + tag + "-r" + r + ".txt"));
      }
      if (o.histogram()) {
        histogram(proxy.pid(), o.out().resolve("histogram-" + target + tag + "-r" + r + ".txt"));
      }
      monitor.resetMax();
      long hurryAt = System.currentTimeMillis();
      readers.hurry();
      boolean allEnded = readers.awaitEnd(o.drainCapS());
      long drainMax = monitor.max();
      double drainS = (System.currentTimeMillis() - hurryAt) / 1000.0;
      if (allEnded) {
        long lastEnd = readers.readers().stream().mapToLong(x -> x.endedAtMs).max().orElse(hurryAt);
        drainS = Math.max(0, lastEnd - hurryAt) / 1000.0;
      }
      sampler.shutdownNow();
      SlowRun.Snapshot atDrainEnd = snapshot(fake, prefix, readers, proxy.port());
      readers.close();
      readers = null;
      // the proxy's log lines are written by a background thread: let it catch up before it is stopped
      Thread.sleep(1500);
      String exit = proxy.alive() ? null : "exited during the run; see " + RepoPaths.display(logFile.toString());
      monitor.close();
      monitor = null;
      proxy.close();
      ProxyLog plog = ProxyLog.read(logFile);
      List<SlowRun.Request> requests = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (SlowReaders.Reader x : rd.readers()) {
        ProxyLog.Line done = plog.request(x.id);
        ProxyLog.Line up = plog.upstream(x.id);
        LongStreamUpstream.Track track = fake.track(x.id);
        long readAtLogged = done == null ? -1 : x.bytesAt(done.atMs());
        requests.add(new SlowRun.Request(x.id, x.sentAtMs, x.firstByteAtMs, x.lastByteAtMs, x.bytes, x.ok(), x.failure,
          done == null ? -1 : done.atMs(), done == null ? null : done.outcome(), done == null ? -1 : done.latencyMs(),
          up == null ? -1 : up.atMs(), track == null ? -1 : track.endedAtMs(),
          done == null || !x.ok() ? -1 : x.bytes - Math.max(0, readAtLogged)));
        if (x.ok() && track != null && track.totalBytes() > 0) {
          ratios.add((double) x.bytes / track.totalBytes());
        }
      }
      return new SlowRun(target, build.label(), RepoPaths.display(build.jar().toString()), r, idle, slowMax, slowEndRss,
        drainMax, atSlowEnd, atDrainEnd, drainS, requests, List.copyOf(timeline), busyBefore, busyDuring, loadStart,
        Proc.loadAverage(), proxyCpuSlow, exit, fake.longAnswerBytes(model), t0, slowEndAtMs,
        ratios.isEmpty() ? 1 : Percentiles.median(ratios));
    } finally {
      sampler.shutdownNow();
      if (readers != null) {
        readers.close();
      }
      if (monitor != null) {
        monitor.close();
      }
      proxy.close();
    }
  }

  /**
   * The proxy's heap by class ({@code jcmd GC.class_histogram}, which collects first, so it shows what is live): where
   * the memory a slow client costs sits. Taken after the slow phase's readings, as the collection disturbs them.
   */
  private static void histogram(long pid, Path file) {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
        "GC.class_histogram").redirectErrorStream(true).redirectOutput(file.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      List<String> lines = Files.readAllLines(file);
      Files.write(file, lines.subList(0, Math.min(lines.size(), 40)));
    } catch (IOException | InterruptedException e) {
      log("jcmd GC.class_histogram failed: " + e);
    }
  }

  /** Dumps the proxy's recording now and summarizes the objects still alive by where they were allocated. */
  private static void retained(long pid, Path recording, Path summary) {
    try {
      Path dump = recording.resolveSibling(recording.getFileName().toString().replace(".jfr", "-slow-end.jfr"));
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
        "JFR.dump", "filename=" + dump).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return;
      }
      Files.writeString(summary, RetainedMemory.summarize(dump, 12));
      log("retained objects by allocation site: " + summary);
    } catch (IOException | InterruptedException e) {
      log("JFR.dump failed: " + e);
    }
  }

  /** The proxy's idle VmRSS: the median of 10 samples over 2 s. */
  private static long idleRss(ProcessMonitor monitor) throws InterruptedException {
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      v.add((double) monitor.current());
      Thread.sleep(200);
    }
    return Math.round(Percentiles.median(v));
  }

  private static SlowRun.Sample sample(long t0, ProcessMonitor monitor, LongStreamUpstream fake, String prefix,
                                       SlowReaders readers, int proxyPort) {
    long written = 0;
    int waiting = 0;
    int finished = 0;
    for (LongStreamUpstream.Track t : fake.tracks(prefix)) {
      written += t.written();
      waiting += t.waiting() ? 1 : 0;
      finished += t.endedAtMs() >= 0 ? 1 : 0;
    }
    ProxyMetrics.Heap heap = ProxyMetrics.heap(proxyPort);
    return new SlowRun.Sample((System.currentTimeMillis() - t0) / 1000.0, monitor.current(), written, waiting, finished,
      readers.bytesRead(), SocketQueues.read(proxyPort, fake.port()), heap == null ? -1 : heap.usedBytes(),
      heap == null ? -1 : heap.committedBytes());
  }

  private static SlowRun.Snapshot snapshot(LongStreamUpstream fake, String prefix, SlowReaders readers, int proxyPort) {
    SocketQueues queues = SocketQueues.read(proxyPort, fake.port());
    long now = System.currentTimeMillis();
    List<LongStreamUpstream.Track> tracks = fake.tracks(prefix);
    long[] written = tracks.stream().mapToLong(LongStreamUpstream.Track::written).sorted().toArray();
    List<Double> waitedShare = new ArrayList<>();
    List<Double> finishedAfter = new ArrayList<>();
    int open = 0;
    int waiting = 0;
    int finished = 0;
    int cut = 0;
    for (LongStreamUpstream.Track t : tracks) {
      open += t.open() ? 1 : 0;
      waiting += t.waiting() ? 1 : 0;
      finished += t.endedAtMs() >= 0 ? 1 : 0;
      cut += t.cutAtMs() >= 0 ? 1 : 0;
      long end = t.endedAtMs() >= 0 ? t.endedAtMs() : t.cutAtMs() >= 0 ? t.cutAtMs() : now;
      waitedShare.add(end <= t.startedAtMs() ? 0 : (double) t.waitedMs(now) / (end - t.startedAtMs()));
      if (t.endedAtMs() >= 0) {
        finishedAfter.add((t.endedAtMs() - t.startedAtMs()) / 1000.0);
      }
    }
    List<Double> clientBytes = readers.readers().stream().map(x -> (double) x.bytes).toList();
    int ended = (int) readers.readers().stream().filter(x -> x.endedAtMs >= 0).count();
    return new SlowRun.Snapshot(tracks.size(), open, waiting, finished, cut,
      written.length == 0 ? 0 : written[0], written.length == 0 ? 0 : Math.round(Percentiles.median(
        java.util.Arrays.stream(written).mapToObj(w -> (double) w).toList())),
      written.length == 0 ? 0 : written[written.length - 1],
      waitedShare.isEmpty() ? 0 : Percentiles.median(waitedShare),
      finishedAfter.isEmpty() ? -1 : Percentiles.median(finishedAfter),
      clientBytes.isEmpty() ? 0 : Math.round(Percentiles.median(clientBytes)), ended,
      java.util.Arrays.stream(written).sum(), readers.bytesRead(), queues);
  }

  /** Waits (bounded) while other tenants keep the machine busier than {@code --quiet-below}; returns the busy %. */
  private double quietMachine(String target, ProxyBuild build) throws InterruptedException {
    long until = System.currentTimeMillis() + o.quietWaitS() * 1000;
    double busy = Proc.cpuBusyFraction(1000) * 100;
    while (o.quietBelow() > 0 && busy > o.quietBelow() && System.currentTimeMillis() < until) {
      log(String.format("machine %.0f%% busy before %s %s; waiting for < %.0f%%", busy, target, build.label(), o.quietBelow()));
      Thread.sleep(4000);
      busy = Proc.cpuBusyFraction(1000) * 100;
    }
    return busy;
  }

  /**
   * The proxy's config: pass-through and a 3-member panel with a judge, all on the fake. The time limits are long
   * enough for a paused stream to wait for its slow client: the upstream's deadline keeps running while it waits.
   */
  private Path writeConfig(LongStreamUpstream fake, String target) throws IOException {
    String base = fake.baseUrl();
    StringBuilder y = FakeRecipe.yaml("the slow-reader harness", base, 3, PASS_MODEL);
    y.append("timeouts: {member_seconds: 60, judge_seconds: 900, total_seconds: 900, first_token_seconds: 60, idle_seconds: 60}\n");
    y.append("server: {host: 127.0.0.1}\n");
    Path file = o.out().resolve("proxy-" + target + ".yaml");
    Files.writeString(file, y.toString());
    return file;
  }

  private JsonObject json() {
    JsonArray out = new JsonArray();
    runs.forEach(r -> out.add(r.toJson()));
    return new JsonObject().put("machine", Proc.machine()).put("command", commandLine).put("fake_upstream", fakeDescription)
      .put("clients", o.describeClients()).put("proxy_jvm", o.proxyJvm()).put("builds", buildsJson())
      .put("targets", SlowReport.targetsJson(runs, o)).put("runs", out);
  }

  private JsonArray buildsJson() {
    JsonArray a = new JsonArray();
    o.builds().forEach(b -> a.add(new JsonObject().put("label", b.label()).put("jar", RepoPaths.display(b.jar().toString()))));
    return a;
  }

  static void log(String line) {
    System.out.println("[slow " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
  }
}
