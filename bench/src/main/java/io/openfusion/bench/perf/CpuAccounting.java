package io.openfusion.bench.perf;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * CPU per request, the proxy against the upstream it calls. In every proxy cell the fake upstream's process serves exactly
 * the calls that cell's requests made (one per pass-through request; members plus judge per fusion), so the proxy's CPU
 * over the fake's CPU in the same run says how much the proxy spends for each unit of work its upstreams spend. The
 * ratio is taken per run and the median over runs is checked: streamed pass-through and fusion at most
 * {@value #LIMIT}.
 */
final class CpuAccounting {

  static final double LIMIT = 1.0;

  private CpuAccounting() {
  }

  /** The checked cells: streamed pass-through, and fusion in both formats, at c >= 16 (below, ticks are too coarse). */
  static boolean checked(PerfReport.Cell cell) {
    String base = ProxyBuild.baseTarget(cell.target());
    return cell.c() >= 16 && (base.equals("fusion") || base.equals("passthrough") && cell.format().equals("sse"));
  }

  static String render(Collection<PerfReport.Cell> cells) {
    StringBuilder md = new StringBuilder();
    List<PerfReport.Cell> rows = new ArrayList<>();
    for (PerfReport.Cell cell : cells) {
      if (!ProxyBuild.baseTarget(cell.target()).equals("upstream") && cell.upstreamCpuUs() > 0) {
        rows.add(cell);
      }
    }
    if (rows.isEmpty()) {
      return "";
    }
    md.append("\n### CPU per request: the proxy against its upstream calls\n\n");
    md.append("user+sys CPU of each process over the run / completed requests (`/proc/PID/stat`, 10 ms ticks). The fake "
      + "upstream is a process of its own (a JVM, or Node with --fake-runtime node) serving exactly the calls the row's requests made (pass-through: one; fusion: the "
      + "members' and the judge's). Ratio: proxy CPU / upstream CPU per run, median (min-max) over runs; target <= ")
      .append(String.format("%.1f", LIMIT)).append(" for streamed pass-through and for fusion.\n\n");
    md.append("| target | fmt | c | proxy CPU/req | upstream CPU/req | proxy / upstream | runs |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (PerfReport.Cell cell : rows) {
      md.append(String.format("| %s | %s | %d | %.0f µs | %.0f µs | **%.2f** (%.2f-%.2f) | %d |%n", cell.target(),
        cell.format(), cell.c(), cell.proxyCpuUs(), cell.upstreamCpuUs(), cell.cpuRatio(), cell.cpuRatioMin(),
        cell.cpuRatioMax(), cell.runs()));
    }
    return md.toString();
  }

  static List<JsonObject> targets(Collection<PerfReport.Cell> cells, ProxyBuild build) {
    List<JsonObject> out = new ArrayList<>();
    String tag = build.label().isEmpty() ? "" : " [" + build.label() + "]";
    for (PerfReport.Cell cell : cells) {
      if (!ProxyBuild.buildOf(cell.target()).equals(build.label()) || !checked(cell) || cell.cpuRatio() < 0) {
        continue;
      }
      String base = ProxyBuild.baseTarget(cell.target());
      out.add(PerfReport.target(String.format("%s CPU/req <= %.1f x its upstream calls' (%s, c=%d)%s", base, LIMIT,
          cell.format(), cell.c(), tag), cell.cpuRatio() <= LIMIT,
        String.format("%.2f x (%.0f vs %.0f µs per request; runs %.2f-%.2f)", cell.cpuRatio(), cell.proxyCpuUs(),
          cell.upstreamCpuUs(), cell.cpuRatioMin(), cell.cpuRatioMax())));
    }
    return out;
  }
}
