package io.openfusion.bench.scale;

import io.openfusion.bench.common.Percentiles;

import java.util.ArrayList;
import java.util.List;

/** Everything one scale-out run measured, filled in as it goes, read by {@link ScaleReport}. */
final class ScaleResults {

  final ScaleOptions options;
  final String commandLine;
  final String machine;
  final int cores = Runtime.getRuntime().availableProcessors();
  final String clusterName;
  final List<ScaleRow> rows = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  String loadAtStart;
  String loadAtEnd;
  String nodeCommands;
  JoinResult join;

  ScaleResults(ScaleOptions options, String commandLine, String machine, String clusterName) {
    this.options = options;
    this.commandLine = commandLine;
    this.machine = machine;
    this.clusterName = clusterName;
  }

  List<ScaleRow> rows(int nodes) {
    return rows.stream().filter(r -> r.nodes() == nodes).toList();
  }

  /** Median rps of the runs with {@code nodes} panel nodes, NaN when there are none. */
  double medianRps(int nodes) {
    return Percentiles.median(rows(nodes).stream().map(ScaleRow::rps).toList());
  }

  double ceiling(int nodes) {
    return ScaleMath.ceilingRps(nodes, options.panelCap(), ScaleOptions.MEMBERS, options.memberMs(), options.judgeMs(),
      options.concurrency());
  }

  /** The ceiling again with the member latency the panel nodes logged instead of the fake's nominal one. */
  double loggedCeiling(ScaleRow row) {
    double latency = row.memberLatencyMs();
    return Double.isNaN(latency) ? Double.NaN : ScaleMath.ceilingRps(row.nodes(), options.panelCap(),
      ScaleOptions.MEMBERS, latency, options.judgeMs(), options.concurrency());
  }

  double measuredRatio() {
    return ScaleMath.ratio(medianRps(options.nodesAfter()), medianRps(1));
  }

  double expectedRatio() {
    return ScaleMath.ratio(ceiling(options.nodesAfter()), ceiling(1));
  }
}
