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
      .append(String.format("%.1f", LIMIT)).append(" for streamed pass-through and for fusion. JIT: the share of the "
        + "proxy's CPU its JIT compiler threads used during the run (a proxy still compiling costs more than a warm one). "
        + "The `relay` row, when measured, is the cheapest relay Vert.x makes (`RelayFloorMain`: an HTTP server piping "
        + "each request to the same upstream and its response back, nothing else), a floor for any pass-through.\n\n");
    md.append("| target | fmt | c | proxy CPU/req | upstream CPU/req | proxy / upstream | JIT | runs |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (PerfReport.Cell cell : rows) {
      md.append(String.format("| %s | %s | %d | %.0f µs | %.0f µs | **%.2f** (%.2f-%.2f) | %s | %d |%n", cell.target(),
        cell.format(), cell.c(), cell.proxyCpuUs(), cell.upstreamCpuUs(), cell.cpuRatio(), cell.cpuRatioMin(),
        cell.cpuRatioMax(), cell.jitShare() < 0 ? "-" : String.format("%.1f%%", 100 * cell.jitShare()), cell.runs()));
    }
    for (PerfReport.Cell cell : rows) {
      PerfReport.Cell floor = relayFloor(cells, cell);
      if (floor != null) {
        md.append(String.format("%n- %s %s c=%d over the bare relay: %.2f x its CPU per request (%.0f vs %.0f µs)",
          cell.target(), cell.format(), cell.c(), cell.proxyCpuUs() / floor.proxyCpuUs(), cell.proxyCpuUs(),
          floor.proxyCpuUs()));
      }
    }
    return md.toString();
  }

  /** The bare relay's cell of the same format and concurrency, for a pass-through cell; else null. */
  static PerfReport.Cell relayFloor(Collection<PerfReport.Cell> cells, PerfReport.Cell cell) {
    if (!ProxyBuild.baseTarget(cell.target()).equals("passthrough")) {
      return null;
    }
    for (PerfReport.Cell other : cells) {
      if (other.target().equals(RelayFloorMain.TARGET) && other.format().equals(cell.format()) && other.c() == cell.c()
          && other.proxyCpuUs() > 0) {
        return other;
      }
    }
    return null;
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
