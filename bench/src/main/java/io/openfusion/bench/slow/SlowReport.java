package io.openfusion.bench.slow;

import io.openfusion.bench.common.Percentiles;
import io.openfusion.bench.common.Proc;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The slow-reader runs as Markdown: one row per run, the targets, and each run's timeline. */
final class SlowReport {

  private SlowReport() {
  }

  static String oneLine(SlowRun r, SlowOptions o) {
    List<Long> deltas = deltas(r);
    SlowRun.Snapshot s = r.slowEnd();
    return String.format("%s%s run %d: RSS idle %d MB, max %d MB (+%d MB), inside the proxy ~%.1f MB, upstream calls ended "
        + "%d; fake at %d s: %d/%d open, %d waiting, "
        + "%d finished (median after %.1f s), written median %.2f MB of %.2f; clients ok %d/%d, drain %.1f s; logged done - "
        + "last byte median %s ms, %d logged early; machine busy before %.0f%% during %.0f%%%s",
      r.target(), r.build().isEmpty() ? "" : "@" + r.build(), r.repeat(), r.idleRssKb() / 1024, r.slowMaxRssKb() / 1024,
      r.growthKb() / 1024, r.inProxyBytes(s.written(), s.clientBytes(), s.queues()) / 1e6, r.upstreamEndedInSlowPhase(),
      o.slowS(), r.slowEnd().open(), r.slowEnd().streams(), r.slowEnd().waiting(),
      r.slowEnd().finished(), r.slowEnd().finishedAtMedS(), r.slowEnd().writtenMed() / 1e6, r.longAnswerBytes() / 1e6,
      okCount(r), r.requests().size(), r.drainS(), deltas.isEmpty() ? "-" : Long.toString(median(deltas)), loggedEarly(r, o),
      r.busyBeforePct(), r.busyDuringPct(), r.proxyExit() == null ? "" : "; proxy " + r.proxyExit());
  }

  static String render(List<SlowRun> runs, SlowOptions o, String command, String fake) {
    StringBuilder md = new StringBuilder();
    md.append("## Slow readers ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
      .append("\n\n");
    md.append("- machine: ").append(Proc.machine()).append('\n');
    md.append("- command: `").append(command).append("`\n");
    md.append("- fake upstream: ").append(fake).append('\n');
    md.append("- clients: ").append(o.describeClients()).append('\n');
    md.append("- proxy: a fresh JVM per run (`").append(o.proxyJvm()).append("`); idle RSS taken after ")
      .append(o.warmup()).append(" short streamed requests and ").append(o.warmupStreams())
      .append(" long answers read at full speed (so the heap has grown to what moving such answers takes), then 3 s "
        + "idle; RSS = VmRSS sampled every 100 ms; heap from the proxy's /metrics once a second\n");
    md.append("- columns are taken at the end of the slow phase unless said. *fake*: the upstream's view, a stream is "
      + "*waiting* while its write queue is full (the proxy's side is not taking more), *finished* once it wrote its whole "
      + "answer. On loopback the kernel's socket buffers hold megabytes per connection, so a finished stream may only "
      + "have filled them: *kernel queues* are the TCP send/receive queues along the way (`/proc/net/tcp`), and "
      + "*inside the proxy* = fake wrote − kernel queues − clients read (client bytes scaled by the clients' stream size "
      + "over the upstream's; ±64 KiB per stream). *upstream calls the proxy ended*: its `openfusion.upstream` line "
      + "came before the slow phase was over\n");
    md.append("- *logged − last byte*: when the proxy logged the request as done (`openfusion.request`) minus when its "
      + "client received the last byte; negative = the proxy called it done before the client had it. *unread when "
      + "logged*: what the client still had to read at that moment\n\n");

    md.append("| target | build | run | idle RSS | RSS max, slow phase | **growth** | answer bytes inside the proxy "
      + "(estimate) | kernel queues: upstream → proxy / proxy → clients | upstream calls the proxy ended in the slow phase "
      + "| fake: open / waiting / finished | fake: written per stream, median (min-max) | client read, median | clients ok "
      + "| drain | logged − last byte, median (min to max) | unread when logged, median (max) | proxy CPU, slow phase "
      + "| busy before / during | loadavg start → end |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---|---:|---|---|---:|---:|---:|---|---|---:|---|---|\n");
    for (SlowRun r : runs) {
      SlowRun.Snapshot s = r.slowEnd();
      List<Long> d = deltas(r);
      List<Long> unread = unread(r);
      SocketQueues q = s.queues();
      md.append(String.format("| %s | %s | %d | %d MB | %d MB | **%+d MB** | %.1f MB | %.1f / %.1f MB | %d of %d | %d / %d / %d of %d "
          + "| %.2f MB (%.2f-%.2f) of %.2f | %.2f MB | %d / %d | %.1f s | %s | %s | %.1f s | %.0f%% / %.0f%% | %s → %s |%n",
        r.target(), r.build().isEmpty() ? "-" : r.build(), r.repeat(), r.idleRssKb() / 1024, r.slowMaxRssKb() / 1024,
        r.growthKb() / 1024, r.inProxyBytes(s.written(), s.clientBytes(), q) / 1e6, (q.fakeTx() + q.proxyRx()) / 1e6,
        (q.proxyTx() + q.clientRx()) / 1e6, r.upstreamEndedInSlowPhase(), r.requests().size(),
        s.open(), s.waiting(), s.finished(), s.streams(), s.writtenMed() / 1e6,
        s.writtenMin() / 1e6, s.writtenMax() / 1e6, r.longAnswerBytes() / 1e6, s.clientBytesMed() / 1e6, okCount(r),
        r.requests().size(), r.drainS(),
        d.isEmpty() ? "-" : String.format("%+d ms (%+d to %+d)", median(d), d.get(0), d.get(d.size() - 1)),
        unread.isEmpty() ? "-" : String.format("%.2f MB (%.2f)", median(unread) / 1e6, unread.get(unread.size() - 1) / 1e6),
        r.proxyCpuSlowMs() / 1000.0, r.busyBeforePct(), r.busyDuringPct(), r.loadAvgStart().split(" ")[0],
        r.loadAvgEnd().split(" ")[0]));
    }
    for (SlowRun r : runs) {
      if (r.proxyExit() != null) {
        md.append("\n- ").append(r.target()).append(' ').append(r.build()).append(" run ").append(r.repeat())
          .append(": the proxy ").append(r.proxyExit()).append('\n');
      }
      List<String> failures = r.requests().stream().filter(x -> !x.ok()).map(x -> x.id() + ": " + x.failure()).limit(3).toList();
      if (!failures.isEmpty()) {
        md.append("\n- ").append(r.target()).append(' ').append(r.build()).append(" run ").append(r.repeat())
          .append(", failed requests (first 3): ").append(String.join("; ", failures)).append('\n');
      }
    }

    md.append("\n### Targets\n\n");
    for (Object t : targetsJson(runs, o)) {
      JsonObject j = (JsonObject) t;
      md.append("- **").append(j.getString("status")).append("** ").append(j.getString("target")).append(": ")
        .append(j.getString("measured")).append('\n');
    }

    md.append("\n### Timelines (every 5 s from the clients' start)\n\n");
    for (SlowRun r : runs) {
      md.append("**").append(r.target()).append(r.build().isEmpty() ? "" : " " + r.build()).append(", run ").append(r.repeat())
        .append("**: MB unless said\n\n");
      md.append("| t (s) | proxy RSS | heap used / committed | fake wrote | fake streams waiting | finished | kernel: fake → proxy "
        + "| inside the proxy (estimate) | kernel: proxy → clients | clients read |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      double next = 0;
      for (SlowRun.Sample s : r.timeline()) {
        if (s.t() + 0.5 >= next) {
          SocketQueues q = s.queues();
          md.append(String.format("| %.0f | %d | %s | %.1f | %d | %d | %.1f | %.1f | %.1f | %.1f |%n", s.t(), s.rssKb() / 1024,
            s.heapUsed() < 0 ? "-" : (s.heapUsed() >> 20) + " / " + (s.heapCommitted() >> 20), s.upstreamWritten() / 1e6, s.upstreamWaiting(), s.upstreamFinished(), (q.fakeTx() + q.proxyRx()) / 1e6,
            r.inProxyBytes(s.upstreamWritten(), s.clientBytes(), q) / 1e6, (q.proxyTx() + q.clientRx()) / 1e6,
            s.clientBytes() / 1e6));
          next += 5;
        }
      }
      md.append('\n');
    }
    return md.toString();
  }

  static JsonArray targetsJson(List<SlowRun> runs, SlowOptions o) {
    JsonArray out = new JsonArray();
    for (SlowRun r : runs) {
      String who = r.target() + (r.build().isEmpty() ? "" : " [" + r.build() + "]") + " run " + r.repeat();
      out.add(target(who + ": proxy RSS grows by less than " + o.rssLimitMb() + " MB over idle",
        r.growthKb() >= 0 && r.growthKb() < o.rssLimitMb() * 1024 && r.proxyExit() == null,
        String.format("%+d MB (idle %d MB, max %d MB during the %d s slow phase)", r.growthKb() / 1024, r.idleRssKb() / 1024,
          r.slowMaxRssKb() / 1024, o.slowS())));
      SlowRun.Snapshot s = r.slowEnd();
      out.add(target(who + ": the upstream calls stay open (paused) while the clients are slow",
        s.streams() == o.clients() && r.upstreamEndedInSlowPhase() == 0 && s.cut() == 0,
        String.format("the proxy ended %d of %d upstream calls within the %d s slow phase; ~%.1f MB of answers inside the "
            + "proxy at its end; the fake saw %d open, %d waiting for the proxy to read, %d finished (into the kernel's "
            + "buffers: %.1f MB queued upstream → proxy), %d cut; median %.2f of %.2f MB written",
          r.upstreamEndedInSlowPhase(), r.requests().size(), o.slowS(), r.inProxyBytes(s.written(), s.clientBytes(), s.queues()) / 1e6,
          s.open(), s.waiting(), s.finished(), (s.queues().fakeTx() + s.queues().proxyRx()) / 1e6, s.cut(),
          s.writtenMed() / 1e6, r.longAnswerBytes() / 1e6)));
      List<Long> d = deltas(r);
      List<Long> u = unread(r);
      long bound = socketBound(o);
      out.add(target(who + ": each request is logged as done only once its last byte is on the client's socket",
        u.size() == r.requests().size() && u.get(u.size() - 1) <= bound,
        u.isEmpty() ? "no request was logged" : String.format("%d of %d logged; when logged, the client still had to read "
            + "median %.2f MB, max %.2f MB (what one connection's socket buffers can hold: %.2f MB); logged − client's last "
            + "byte median %+d ms (min %+d ms)", u.size(), r.requests().size(), median(u) / 1e6,
          u.get(u.size() - 1) / 1e6, bound / 1e6, median(d), d.isEmpty() ? 0 : d.get(0))));
      out.add(target(who + ": every client gets its whole answer", okCount(r) == r.requests().size(),
        String.format("%d of %d ok", okCount(r), r.requests().size())));
    }
    return out;
  }

  private static JsonObject target(String name, boolean met, String measured) {
    return new JsonObject().put("target", name).put("status", met ? "MET" : "MISSED").put("measured", measured);
  }

  /** Logged done − client's last byte, per request that has both, sorted. */
  static List<Long> deltas(SlowRun r) {
    List<Long> d = new ArrayList<>();
    for (SlowRun.Request x : r.requests()) {
      long v = x.loggedMinusLastByteMs();
      if (v != Long.MIN_VALUE) {
        d.add(v);
      }
    }
    d.sort(Long::compare);
    return d;
  }

  /**
   * The most one connection's kernel buffers can hold between the proxy and its client: the proxy's send buffer at
   * its largest ({@code net.ipv4.tcp_wmem}'s maximum) plus the client's receive buffer. The proxy can only know that the
   * kernel took the last byte, so a request logged while its client has at most this much left to read was logged once
   * its answer had left the proxy.
   */
  static long socketBound(SlowOptions o) {
    long wmemMax = 4L << 20;
    try {
      // readAllLines: readString stops early on a procfs file, which reports a size of 0
      String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).get(0).trim().split("\\s+");
      wmemMax = Long.parseLong(f[f.length - 1]);
    } catch (java.io.IOException | RuntimeException ignored) {
      // the Linux default
    }
    long rcv = o.rcvbufBytes() > 0 ? 2L * o.rcvbufBytes() : 6L << 20;
    return wmemMax + rcv;
  }

  /** What each client still had to read when the proxy logged its request done, sorted. */
  static List<Long> unread(SlowRun r) {
    List<Long> u = new ArrayList<>();
    r.requests().forEach(x -> {
      if (x.unreadAtLoggedBytes() >= 0) {
        u.add(x.unreadAtLoggedBytes());
      }
    });
    u.sort(Long::compare);
    return u;
  }

  /** Requests logged done while their client had more left to read than its socket buffers can hold. */
  static int loggedEarly(SlowRun r, SlowOptions o) {
    long bound = socketBound(o);
    return (int) unread(r).stream().filter(v -> v > bound).count();
  }

  static int okCount(SlowRun r) {
    return (int) r.requests().stream().filter(SlowRun.Request::ok).count();
  }

  private static long median(List<Long> sorted) {
    return Math.round(Percentiles.median(sorted.stream().map(Long::doubleValue).toList()));
  }
}
