package io.openfusion.bench.scale;

import io.openfusion.bench.perf.ScenarioResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One measured run with a fixed number of panel nodes.
 *
 * @param nodes          panel nodes in the cluster
 * @param run            1-based repeat number
 * @param result         what the load driver measured (proxy CPU summed over every node)
 * @param ceilingRps     the lower of the panel-cap and client ceilings ({@link ScaleMath})
 * @param machineBusyPct the whole machine's busy CPU while the row ran (every tenant)
 * @param backgroundPct  the machine's busy CPU over the second before the row, the harness idle
 * @param loadBefore     /proc/loadavg before the row ({@link ScenarioResult#loadAvg()} is after it)
 * @param perNode        panel calls each panel node made during the row, in start order
 * @param cpuPerNodeMs   CPU time of each node during the row: the api node first, then the panel nodes
 * @param resends        member calls the router sent again during the row (no confirmation in time, node left)
 */
record ScaleRow(int nodes, int run, ScenarioResult result, double ceilingRps, double machineBusyPct,
                double backgroundPct, String loadBefore, List<PanelLog.Tally> perNode, List<Long> cpuPerNodeMs,
                long resends) {

  double rps() {
    return result.rps();
  }

  double percentOfCeiling() {
    return ScaleMath.percentOf(rps(), ceilingRps);
  }

  /** Mean member-call latency the panel nodes logged, all nodes together. */
  double memberLatencyMs() {
    return total().meanLatencyMs();
  }

  PanelLog.Tally total() {
    return perNode.stream().reduce(PanelLog.Tally.NONE, PanelLog.Tally::plus);
  }

  /** The proxy nodes' CPU as a share of every core of the machine over the row. */
  double proxyCpuPercent(int cores) {
    return result.proxyCpuMs() < 0 ? -1 : 100.0 * result.proxyCpuMs() / result.wallMs() / cores;
  }

  boolean cpuLimited() {
    return ScaleMath.cpuLimited(machineBusyPct, percentOfCeiling());
  }

  JsonObject toJson(int cores) {
    JsonArray calls = new JsonArray();
    perNode.forEach(t -> calls.add(t.calls()));
    return result.toJson()
      .put("panel_nodes", nodes)
      .put("run", run)
      .put("ceiling_rps", ceilingRps)
      .put("percent_of_ceiling", percentOfCeiling())
      .put("machine_busy_pct", machineBusyPct)
      .put("background_cpu_pct", backgroundPct)
      .put("proxy_cpu_pct_of_machine", proxyCpuPercent(cores))
      .put("loadavg_before", loadBefore)
      .put("panel_calls_per_node", calls)
      .put("cpu_ms_per_node", new JsonArray(cpuPerNodeMs))
      .put("panel_calls_cancelled", total().cancelled())
      .put("member_calls_resent", resends)
      .put("member_latency_ms", memberLatencyMs())
      .put("cpu_limited", cpuLimited());
  }
}
