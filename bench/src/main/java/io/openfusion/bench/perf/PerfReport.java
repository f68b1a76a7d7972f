package io.openfusion.bench.perf;

import io.openfusion.bench.common.Percentiles;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.common.RepoPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Turns the raw scenario results into the Markdown report: medians per cell, ratios, the floor, the targets. */
final class PerfReport {

  /** The median over repeats of one (target, format, concurrency) cell. */
  record Cell(String target, String format, int c, int runs, double rps, double rpsMin, double rpsMax, double ttftP50,
              double ttftP99, double ttlbP50, double ttlbP99, int ok, int errors, long rssMaxKb, double proxyCpuUs,
              double benchCpuUs, String loadAvgs, long gcPauses, long gcPauseMs, double allocPerRequest,
              double backgroundPct, double sysShare, double switchesPerRequest, double upstreamCpuUs,
              double cpuRatio, double cpuRatioMin, double cpuRatioMax, double jitShare) {
  }

  private PerfReport() {
  }

  static Map<String, Cell> cells(List<ScenarioResult> results) {
    Map<String, List<ScenarioResult>> groups = new LinkedHashMap<>();
    for (ScenarioResult r : results) {
      groups.computeIfAbsent(key(r.scenario().target(), r.scenario().format(), r.scenario().concurrency()),
        k -> new ArrayList<>()).add(r);
    }
    Map<String, Cell> cells = new LinkedHashMap<>();
    groups.forEach((k, rs) -> {
      Scenario s = rs.get(0).scenario();
      cells.put(k, new Cell(s.target(), s.format(), s.concurrency(), rs.size(),
        med(rs, ScenarioResult::rps), rs.stream().mapToDouble(ScenarioResult::rps).min().orElse(0),
        rs.stream().mapToDouble(ScenarioResult::rps).max().orElse(0),
        med(rs, r -> r.ttftP50() / 1000.0), med(rs, r -> r.ttftP99() / 1000.0),
        med(rs, r -> r.ttlbP50() / 1000.0), med(rs, r -> r.ttlbP99() / 1000.0),
        rs.stream().mapToInt(ScenarioResult::ok).sum(), rs.stream().mapToInt(ScenarioResult::errors).sum(),
        // the JVM keeps what it committed, so later repeats only inherit the peak of earlier cells: use the first run
        rs.get(0).proxyRssMaxKb(),
        med(rs, ScenarioResult::proxyCpuUsPerRequest), med(rs, ScenarioResult::benchCpuUsPerRequest),
        String.join(" / ", rs.stream().map(r -> r.loadAvg().split(" ")[0]).toList()),
        rs.stream().filter(r -> r.proxyGc() != null).mapToLong(r -> r.proxyGc().pauses()).sum(),
        rs.stream().filter(r -> r.proxyGc() != null).mapToLong(r -> r.proxyGc().pauseMs()).sum(),
        // the JVM counts allocation at GC time: with fewer than 3 collections in a run the figure means little
        med(rs, r -> r.proxyGc() == null || r.ok() == 0 || r.proxyGc().pauses() < 3 ? -1
          : (double) r.proxyGc().allocatedBytes() / r.ok()),
        med(rs, ScenarioResult::backgroundCpuPct), med(rs, ScenarioResult::proxySysShare),
        med(rs, ScenarioResult::proxySwitchesPerRequest), med(rs, ScenarioResult::upstreamCpuUsPerRequest),
        med(rs, ScenarioResult::proxyToUpstreamCpu),
        rs.stream().mapToDouble(ScenarioResult::proxyToUpstreamCpu).min().orElse(-1),
        rs.stream().mapToDouble(ScenarioResult::proxyToUpstreamCpu).max().orElse(-1),
        med(rs, ScenarioResult::proxyJitShare)));
    });
    return cells;
  }

  static String key(String target, String format, int c) {
    return target + "|" + format + "|" + c;
  }

  private static double med(List<ScenarioResult> rs, ToDoubleFunction<ScenarioResult> f) {
    List<Double> v = new ArrayList<>();
    rs.forEach(r -> v.add(f.applyAsDouble(r)));
    return Percentiles.median(v);
  }

  /** Member (non-streamed) full latency + judge (always streamed) full latency, from the upstream-alone c=1 rows. */
  static double measuredFloorMs(Map<String, Cell> cells) {
    Cell member = cells.get(key("upstream", "json", 1));
    Cell judge = cells.get(key("upstream", "sse", 1));
    if (member == null || judge == null) {
      return -1;
    }
    return member.ttlbP50() + judge.ttlbP50();
  }

  static double nominalFloorMs(FakeUpstreamOptions o) {
    return o.effectiveJsonLatencyMs() + o.streamMs();
  }

  static double floorMs(PerfBench b, Map<String, Cell> cells) {
    double measured = measuredFloorMs(cells);
    return measured > 0 ? measured : nominalFloorMs(b.fakeOptions());
  }

  static String render(PerfBench b) {
    Map<String, Cell> cells = cells(b.results());
    StringBuilder md = new StringBuilder();
    md.append("## Performance run ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
      .append("\n\n");
    md.append("- machine: ").append(Proc.machine()).append('\n');
    md.append("- command: `").append(b.commandLine()).append("`\n");
    md.append("- fake upstream: ").append(b.fakeOptions().describe()).append('\n');
    if (b.fakeCommand() != null) {
      md.append("- fake upstream process: `").append(b.fakeCommand()).append("`\n");
    }
    md.append("- proxy JVM: `").append(b.proxyJvm()).append("`, idle RSS ")
      .append(b.idleRssKb() < 0 ? "n/a" : (b.idleRssKb() / 1024) + " MB").append('\n');
    if (b.builds().size() > 1) {
      md.append("- builds compared (both running throughout; each proxy cell measured on every build back to back, "
        + "the order alternating by repeat):");
      for (ProxyBuild build : b.builds()) {
        Long idle = b.idleRssByBuild().get(build.label());
        md.append(" **").append(build.label()).append("** `").append(RepoPaths.display(build.jar().toString())).append('`')
          .append(idle == null || idle < 0 ? "" : " (idle RSS " + idle / 1024 + " MB)").append(';');
      }
      md.append('\n');
    }
    for (String settled : b.notes()) {
      md.append("- warm-up until the JIT settled: ").append(settled).append('\n');
    }
    md.append("- runs per cell: ").append(b.repeat()).append(" (tables show the median; rps range is min-max over runs)\n");
    md.append("- TTFT: first content chunk for SSE, first response byte for JSON; times in ms. proxy CPU/req: user+sys CPU of the "
      + "proxy process over the run / completed requests; upstream CPU/req: the same for the fake upstream's process (in a proxy row: the upstream calls that row's requests made); alloc/req and GC pauses: from the proxy's /metrics; bench CPU/req: "
      + "the harness JVM (the load driver); busy before: whole-machine CPU over 1 s just before the run "
      + "(the harness idle), i.e. other tenants' load\n\n");

    md.append("| target | fmt | c | rps (range) | × upstream rps | TTFT p50 | TTFT p99 | +TTFT p50 | +TTFT p99 | TTLB p50 | TTLB p99 "
      + "| ok / errors | proxy RSS max (run 1) | proxy CPU/req (sys %) | ctx switches/req | proxy alloc/req | proxy GC pauses | bench CPU/req | busy before | loadavg (1 min) |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Cell cell : cells.values()) {
      Cell up = cells.get(key("upstream", cell.format(), cell.c()));
      String base = ProxyBuild.baseTarget(cell.target());
      boolean proxy = !base.equals("upstream");
      String ratio = proxy && up != null && up.rps() > 0 ? String.format("%.3f", cell.rps() / up.rps()) : "-";
      String addP50 = proxy && up != null && base.equals("passthrough") ? ms(cell.ttftP50() - up.ttftP50()) : "-";
      String addP99 = proxy && up != null && base.equals("passthrough") ? ms(cell.ttftP99() - up.ttftP99()) : "-";
      md.append(String.format("| %s | %s | %d | %.1f (%.0f-%.0f) | %s | %s | %s | %s | %s | %s | %s | %d / %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
        cell.target(), cell.format(), cell.c(), cell.rps(), cell.rpsMin(), cell.rpsMax(), ratio, ms(cell.ttftP50()),
        ms(cell.ttftP99()), addP50, addP99, ms(cell.ttlbP50()), ms(cell.ttlbP99()), cell.ok(), cell.errors(),
        cell.rssMaxKb() < 0 ? "-" : (cell.rssMaxKb() / 1024) + " MB",
        cell.proxyCpuUs() < 0 ? "-" : String.format("%.0f µs (%.0f%%)", cell.proxyCpuUs(), 100 * cell.sysShare()),
        cell.switchesPerRequest() < 0 ? "-" : String.format("%.1f", cell.switchesPerRequest()),
        cell.allocPerRequest() < 0 ? "-" : String.format("%.0f KB", cell.allocPerRequest() / 1024),
        proxy ? cell.gcPauses() + " / " + cell.gcPauseMs() + " ms" : "-",
        cell.benchCpuUs() < 0 ? "-" : String.format("%.0f µs", cell.benchCpuUs()),
        cell.backgroundPct() < 0 ? "-" : String.format("%.0f%%", cell.backgroundPct()), cell.loadAvgs()));
    }

    md.append(CpuAccounting.render(cells.values()));

    double floor = floorMs(b, cells);
    md.append("\n### Fusion against its floor\n\n");
    md.append(String.format("Floor = one member's full latency (upstream-alone JSON TTLB p50, c=1) + the judge's (upstream-alone "
      + "SSE TTLB p50, c=1) = **%.1f ms** (nominal %.0f ms). Ideal rps = c / floor.%n%n", floor, nominalFloorMs(b.fakeOptions())));
    md.append("| target | fmt | c | TTLB p50 | TTLB p50 / floor | TTLB p99 | rps | ideal rps | % of ideal | errors |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Cell cell : cells.values()) {
      if (!ProxyBuild.baseTarget(cell.target()).equals("fusion")) {
        continue;
      }
      double ideal = cell.c() * 1000.0 / floor;
      md.append(String.format("| %s | %s | %d | %s | %.3f | %s | %.1f | %.1f | %.1f%% | %d |%n", cell.target(), cell.format(), cell.c(),
        ms(cell.ttlbP50()), cell.ttlbP50() / floor, ms(cell.ttlbP99()), cell.rps(), ideal, 100 * cell.rps() / ideal,
        cell.errors()));
    }

    if (!b.clusterResults().isEmpty()) {
      Map<String, Cell> cl = cells(b.clusterResults());
      md.append("\n### 2-JVM cluster (api,router,judge node + panel node) against one process\n\n");
      md.append("| fmt | c | single TTLB p50 | cluster TTLB p50 | added p50 per fusion | single rps | cluster rps | cluster errors | RSS both nodes |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Cell cell : cl.values()) {
        Cell single = cells.get(key("fusion", cell.format(), cell.c()));
        md.append(String.format("| %s | %d | %s | %s | %s | %s | %.1f | %d | %s |%n", cell.format(), cell.c(),
          single == null ? "-" : ms(single.ttlbP50()), ms(cell.ttlbP50()),
          single == null ? "-" : ms(cell.ttlbP50() - single.ttlbP50()),
          single == null ? "-" : String.format("%.1f", single.rps()), cell.rps(), cell.errors(),
          cell.rssMaxKb() < 0 ? "-" : (cell.rssMaxKb() / 1024) + " MB"));
      }
    }

    if (b.builds().size() > 1) {
      md.append(CompareReport.render(b.builds(), b.results()));
    }

    md.append("\n### Targets\n\n");
    for (Object o : targetsJson(b)) {
      JsonObject t = (JsonObject) o;
      md.append("- **").append(t.getString("status")).append("** ").append(t.getString("target")).append(": ")
        .append(t.getString("measured")).append('\n');
    }
    if (b.jfrSummary() != null) {
      md.append("\n### JFR (proxy, whole run)\n\n```\n").append(b.jfrSummary()).append("```\n");
    }
    return md.toString();
  }

  static JsonArray targetsJson(PerfBench b) {
    JsonArray out = new JsonArray();
    for (ProxyBuild build : b.builds()) {
      buildTargets(b, build, out);
    }
    if (b.builds().size() > 1) {
      CompareReport.targets(b.builds(), b.results()).forEach(out::add);
    }
    return out;
  }

  /** The absolute targets of one build's rows; with several builds each target names its build. */
  private static void buildTargets(PerfBench b, ProxyBuild build, JsonArray out) {
    Map<String, Cell> cells = cells(b.results());
    String tag = build.label().isEmpty() ? "" : " [" + build.label() + "]";
    String pass = build.rowName("passthrough");
    String fusion = build.rowName("fusion");
    for (String fmt : b.formats()) {
      Cell up = cells.get(key("upstream", fmt, 256));
      Cell pt = cells.get(key(pass, fmt, 256));
      if (up != null && pt != null) {
        double ratio = pt.rps() / up.rps();
        out.add(target("pass-through rps >= 95% of upstream-alone at c=256 (" + fmt + ")" + tag, ratio >= 0.95,
          String.format("%.1f%% (%.1f vs %.1f rps, %d errors)", 100 * ratio, pt.rps(), up.rps(), pt.errors())));
        if (fmt.equals("sse")) {
          double added = pt.ttftP99() - up.ttftP99();
          out.add(target("pass-through added TTFT p99 <= 5 ms at c=256 (sse)" + tag, added <= 5,
            String.format("%+.2f ms (p99 %.2f vs %.2f ms; p50 %+.2f ms)", added, pt.ttftP99(), up.ttftP99(),
              pt.ttftP50() - up.ttftP50())));
        }
      }
    }
    double floor = floorMs(b, cells);
    for (String fmt : b.formats()) {
      Cell f64 = cells.get(key(fusion, fmt, 64));
      if (f64 != null) {
        double ratio = f64.ttlbP50() / floor;
        out.add(target("fusion TTLB p50 <= 1.05 x floor at c=64 (" + fmt + ")" + tag, ratio <= 1.05,
          String.format("%.3f x (%.1f ms vs floor %.1f ms)", ratio, f64.ttlbP50(), floor)));
        double ideal = 64 * 1000.0 / floor;
        out.add(target("fusion rps >= 90% of ideal (c / floor) at c=64 (" + fmt + ")" + tag, f64.rps() >= 0.9 * ideal,
          String.format("%.1f%% (%.1f vs ideal %.1f rps)", 100 * f64.rps() / ideal, f64.rps(), ideal)));
      }
      Cell f256 = cells.get(key(fusion, fmt, 256));
      if (f64 != null && f256 != null) {
        boolean met = f256.rps() >= f64.rps() && f256.errors() == 0;
        out.add(target("fusion rps at c=256 >= its c=64 level, no errors (" + fmt + ")" + tag, met,
          String.format("%.1f vs %.1f rps (%.2f x), %d errors", f256.rps(), f64.rps(), f256.rps() / f64.rps(), f256.errors())));
      }
    }
    CpuAccounting.targets(cells.values(), build).forEach(out::add);
    long rss = -1;
    for (ScenarioResult r : b.results()) {
      String target = r.scenario().target();
      if (r.scenario().concurrency() == 256 && !target.equals("upstream") && ProxyBuild.buildOf(target).equals(build.label())) {
        rss = Math.max(rss, r.proxyRssMaxKb());
      }
    }
    if (rss > 0) {
      out.add(target("proxy RSS <= 256 MB at c=256 (" + b.proxyJvm() + ")" + tag, rss <= 256 * 1024,
        String.format("max VmRSS sampled every 100 ms during the c=256 runs: %d MB", rss / 1024)));
    }
    if (!b.clusterResults().isEmpty()) {
      for (Cell cell : cells(b.clusterResults()).values()) {
        Cell single = cells.get(key("fusion", cell.format(), cell.c()));
        if (single != null) {
          out.add(new JsonObject().put("target", "cluster: event-bus added p50 per fusion (" + cell.format() + ", c=" + cell.c() + ")")
            .put("status", "REPORTED").put("measured", String.format("%+.2f ms (%.1f vs %.1f ms)",
              cell.ttlbP50() - single.ttlbP50(), cell.ttlbP50(), single.ttlbP50())));
        }
      }
    }
  }

  static JsonObject target(String name, boolean met, String measured) {
    return new JsonObject().put("target", name).put("status", met ? "MET" : "MISSED").put("measured", measured);
  }

  static String ms(double v) {
    return String.format("%.2f", v);
  }
}
