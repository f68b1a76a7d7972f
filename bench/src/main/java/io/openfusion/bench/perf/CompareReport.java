package io.openfusion.bench.perf;

import io.openfusion.bench.common.Percentiles;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Before / after: every later build of {@code --compare} against the first, cell by cell. Each repeat measured a cell
 * on both builds back to back, so the i-th run of one build and the i-th run of the other form a pair that met the
 * same machine load; the verdicts use the median over pairs of {@code after / before} (rps) and {@code after - before}
 * (TTFT p50), which cancels load that drifts between repeats better than comparing the two medians.
 */
final class CompareReport {

  /** The regression tolerances checked at c=64 and c=256: rps may drop this much, TTFT p50 grow this much. */
  static final double RPS_TOLERANCE = 0.03;
  static final double TTFT_TOLERANCE_MS = 2.0;
  private static final List<String> TARGETS = List.of("passthrough", "fusion");
  private static final Set<Integer> CHECKED = Set.of(64, 256);

  /** One cell of one pair of builds: the runs of each, in the order they were measured. */
  record Pair(String target, String format, int c, List<ScenarioResult> before, List<ScenarioResult> after) {

    int pairs() {
      return Math.min(before.size(), after.size());
    }

    double pairedMedian(ToDoubleFunction<ScenarioResult> f, boolean ratio) {
      return Percentiles.median(paired(f, ratio));
    }

    List<Double> paired(ToDoubleFunction<ScenarioResult> f, boolean ratio) {
      List<Double> v = new ArrayList<>();
      for (int i = 0; i < pairs(); i++) {
        double a = f.applyAsDouble(after.get(i));
        double b = f.applyAsDouble(before.get(i));
        v.add(ratio ? (b <= 0 ? Double.NaN : a / b) : a - b);
      }
      return v;
    }

    static double median(List<ScenarioResult> rs, ToDoubleFunction<ScenarioResult> f) {
      return Percentiles.median(rs.stream().map(f::applyAsDouble).toList());
    }
  }

  private CompareReport() {
  }

  static List<Pair> pairs(List<ProxyBuild> builds, List<ScenarioResult> results) {
    List<Pair> out = new ArrayList<>();
    ProxyBuild reference = builds.get(0);
    for (ProxyBuild other : builds.subList(1, builds.size())) {
      for (String target : TARGETS) {
        Set<String> cells = new LinkedHashSet<>();
        for (ScenarioResult r : results) {
          if (r.scenario().target().equals(reference.rowName(target))) {
            cells.add(r.scenario().format() + "|" + r.scenario().concurrency());
          }
        }
        for (String cell : cells) {
          String format = cell.substring(0, cell.indexOf('|'));
          int c = Integer.parseInt(cell.substring(cell.indexOf('|') + 1));
          List<ScenarioResult> before = runs(results, reference.rowName(target), format, c);
          List<ScenarioResult> after = runs(results, other.rowName(target), format, c);
          if (!after.isEmpty()) {
            out.add(new Pair(other.rowName(target), format, c, before, after));
          }
        }
      }
    }
    return out;
  }

  private static List<ScenarioResult> runs(List<ScenarioResult> results, String target, String format, int c) {
    return results.stream().filter(r -> r.scenario().target().equals(target) && r.scenario().format().equals(format)
      && r.scenario().concurrency() == c).toList();
  }

  static String render(List<ProxyBuild> builds, List<ScenarioResult> results) {
    StringBuilder md = new StringBuilder();
    String reference = builds.get(0).label();
    md.append("\n### Before / after (each build against **").append(reference).append("**)\n\n");
    md.append("Medians over the runs of each build; the ratio and `Δ` are the medians over the back-to-back pairs "
      + "(min-max in brackets). Checked at c=64 and c=256: rps may not drop more than ")
      .append(String.format("%.0f %%", RPS_TOLERANCE * 100)).append(", TTFT p50 may not grow more than ")
      .append(String.format("%.0f ms", TTFT_TOLERANCE_MS)).append(".\n\n");
    String other = builds.size() == 2 ? builds.get(1).label() : "build";
    md.append("| target | fmt | c | pairs | rps " + reference + " | rps " + other + " | " + other + " / " + reference
      + " rps | TTFT p50 " + reference + " | TTFT p50 " + other + " | Δ TTFT p50 ms | TTLB p50 " + reference + " | TTLB p50 "
      + other + " | TTLB p99 " + reference + " | TTLB p99 " + other + " | proxy CPU/req " + reference + " → " + other
      + " | alloc/req " + reference + " → " + other + " | errors | busy before (median) | loadavg |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Pair p : pairs(builds, results)) {
      List<Double> ratios = p.paired(ScenarioResult::rps, true);
      List<Double> ttft = p.paired(r -> r.ttftP50() / 1000.0, false);
      List<ScenarioResult> all = new ArrayList<>(p.before());
      all.addAll(p.after());
      md.append(String.format("| %s | %s | %d | %d | %.1f | %.1f | **%.3f** (%.3f-%.3f) | %.2f | %.2f | **%+.2f** (%+.2f to %+.2f) "
          + "| %.2f | %.2f | %.2f | %.2f | %s → %s | %s → %s | %d / %d | %.0f%% | %s |%n",
        p.target(), p.format(), p.c(), p.pairs(),
        Pair.median(p.before(), ScenarioResult::rps), Pair.median(p.after(), ScenarioResult::rps),
        Percentiles.median(ratios), min(ratios), max(ratios),
        Pair.median(p.before(), r -> r.ttftP50() / 1000.0), Pair.median(p.after(), r -> r.ttftP50() / 1000.0),
        Percentiles.median(ttft), min(ttft), max(ttft),
        Pair.median(p.before(), r -> r.ttlbP50() / 1000.0), Pair.median(p.after(), r -> r.ttlbP50() / 1000.0),
        Pair.median(p.before(), r -> r.ttlbP99() / 1000.0), Pair.median(p.after(), r -> r.ttlbP99() / 1000.0),
        us(Pair.median(p.before(), ScenarioResult::proxyCpuUsPerRequest)),
        us(Pair.median(p.after(), ScenarioResult::proxyCpuUsPerRequest)),
        kb(Pair.median(p.before(), CompareReport::allocPerRequest)), kb(Pair.median(p.after(), CompareReport::allocPerRequest)),
        p.before().stream().mapToInt(ScenarioResult::errors).sum(), p.after().stream().mapToInt(ScenarioResult::errors).sum(),
        Pair.median(all, ScenarioResult::backgroundCpuPct),
        String.join(" / ", all.stream().map(r -> r.loadAvg().split(" ")[0]).toList())));
    }
    return md.toString();
  }

  static List<JsonObject> targets(List<ProxyBuild> builds, List<ScenarioResult> results) {
    List<JsonObject> out = new ArrayList<>();
    String reference = builds.get(0).label();
    for (Pair p : pairs(builds, results)) {
      if (!CHECKED.contains(p.c()) || p.pairs() == 0) {
        continue;
      }
      double ratio = p.pairedMedian(ScenarioResult::rps, true);
      out.add(PerfReport.target(String.format("%s rps within %.0f %% of %s (%s, c=%d)", p.target(), RPS_TOLERANCE * 100,
          reference, p.format(), p.c()), ratio >= 1 - RPS_TOLERANCE,
        String.format("%+.1f %% (paired median of %d; %.1f vs %.1f rps; errors %d / %d)", (ratio - 1) * 100, p.pairs(),
          Pair.median(p.after(), ScenarioResult::rps), Pair.median(p.before(), ScenarioResult::rps),
          p.after().stream().mapToInt(ScenarioResult::errors).sum(), p.before().stream().mapToInt(ScenarioResult::errors).sum())));
      double ttft = p.pairedMedian(r -> r.ttftP50() / 1000.0, false);
      out.add(PerfReport.target(String.format("%s TTFT p50 within %.0f ms of %s (%s, c=%d)", p.target(), TTFT_TOLERANCE_MS,
          reference, p.format(), p.c()), ttft <= TTFT_TOLERANCE_MS,
        String.format("%+.2f ms (paired median of %d; %.2f vs %.2f ms)", ttft, p.pairs(),
          Pair.median(p.after(), r -> r.ttftP50() / 1000.0), Pair.median(p.before(), r -> r.ttftP50() / 1000.0))));
    }
    return out;
  }

  private static double allocPerRequest(ScenarioResult r) {
    return r.proxyGc() == null || r.ok() == 0 || r.proxyGc().pauses() < 3 ? -1 : (double) r.proxyGc().allocatedBytes() / r.ok();
  }

  private static String us(double v) {
    return v < 0 || Double.isNaN(v) ? "-" : String.format("%.0f µs", v);
  }

  private static String kb(double v) {
    return v < 0 || Double.isNaN(v) ? "-" : String.format("%.0f KB", v / 1024);
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
