package io.openfusion.bench.scale;

import io.openfusion.bench.perf.ScenarioResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The scale-out run as Markdown ({@code results.md}) and JSON ({@code results.json}). */
final class ScaleReport {

  private ScaleReport() {
  }

  static String markdown(ScaleResults r) {
    ScaleOptions o = r.options;
    StringBuilder md = new StringBuilder();
    int after = o.nodesAfter();
    md.append("# Scale-out: fusion throughput with 1 and ").append(after).append(" panel nodes\n\n");
    md.append("- Command: `").append(r.commandLine).append("`\n");
    md.append("- Machine: ").append(r.machine).append("; load average at start ").append(r.loadAtStart)
      .append(", at end ").append(r.loadAtEnd).append('\n');
    md.append(f("- Fake upstream (in the harness JVM): members answer non-streamed after %d ms; the judge streams %d tokens "
      + "(%d ms + %d x %d ms = %d ms)%n", o.memberMs(), o.tokens(), o.judgeTtftMs(), o.tokens() - 1, o.judgeItlMs(), o.judgeMs()));
    md.append(f("- Cluster `%s`, Hazelcast from port %d, loopback: one api node (`--roles api,router,judge`) and panel nodes "
      + "(`--roles panel`), every node `%s`, `workers.panel_max_concurrency: %d` per node, judge uncapped, %s verticle "
      + "instances per node%n", r.clusterName, o.clusterPort(), o.proxyJvm(), o.panelCap(),
      o.instances() > 0 ? Integer.toString(o.instances()) : "default"));
    md.append(f("- Load: closed loop, c = %d, %s, `model: %s` (%d members + judge); %d requests per panel node per row, "
      + "%d warm-up requests before the first row; %d run(s) per row%n", o.concurrency(), o.format(),
      ScaleConfig.FUSION_MODEL, ScaleOptions.MEMBERS, o.requestsPerNode(), o.warmup(), o.repeat()));
    md.append(f("- Ceiling = nodes x %d slots / (%d members x %d ms) = %.2f rps per panel node; the %d clients alone "
      + "would allow %d / (%d + %d ms) = %.1f rps; %.1f clients keep every slot of %d nodes busy%n%n", o.panelCap(),
      ScaleOptions.MEMBERS, o.memberMs(), ScaleMath.panelCeilingRps(1, o.panelCap(), ScaleOptions.MEMBERS, o.memberMs()),
      o.concurrency(), o.concurrency(), o.memberMs(), o.judgeMs(),
      ScaleMath.clientCeilingRps(o.concurrency(), o.memberMs(), o.judgeMs()),
      ScaleMath.saturatingConcurrency(after, o.panelCap(), ScaleOptions.MEMBERS, o.memberMs(), o.judgeMs()), after));

    md.append("| panel nodes | run | ok | rps | ceiling | % of ceiling | TTLB p50 | TTLB p99 | errors | panel calls per node "
      + "| resent / cancelled | member call | ceiling at logged latency | proxy CPU/req | proxy CPU | CPU s per node (api, panels) "
      + "| machine busy | busy before | load avg before / after |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---|\n");
    for (ScaleRow row : r.rows) {
      ScenarioResult s = row.result();
      md.append(f("| %d | %d | %d | %.2f | %.2f | %.1f %% | %.0f ms | %.0f ms | %d | %s | %d / %d | %.0f ms | %.2f | %s | %s | %s | %s | %s | %s / %s |%n",
        row.nodes(), row.run(), s.ok(), row.rps(), row.ceilingRps(), row.percentOfCeiling(), s.ttlbP50() / 1000.0,
        s.ttlbP99() / 1000.0, s.errors(), calls(row.perNode()), row.resends(), row.total().cancelled(),
        row.memberLatencyMs(), r.loggedCeiling(row),
        s.proxyCpuUsPerRequest() < 0 ? "-" : f("%.1f ms", s.proxyCpuUsPerRequest() / 1000.0),
        pct(row.proxyCpuPercent(r.cores)),
        row.cpuPerNodeMs().stream().map(ms -> f("%.1f", ms / 1000.0)).collect(Collectors.joining(" / ")),
        pct(row.machineBusyPct()), pct(row.backgroundPct()), row.loadBefore(), s.loadAvg()));
    }
    md.append('\n');
    md.append(f("**%d nodes / 1 node: %.2fx** (median rps %.2f / %.2f); expected %.2fx, the ratio of the ceilings "
      + "(%.2f / %.2f rps).%n%n", after, r.measuredRatio(), r.medianRps(after), r.medianRps(1), r.expectedRatio(),
      r.ceiling(after), r.ceiling(1)));
    md.append("TTLB is mostly the wait for a panel slot: in a closed loop TTLB is about c / rps (Little's law), so it "
      + "shrinks by the same factor as throughput grows. Resent = member calls the router sent again (it does so only when "
      + "a node leaves the cluster, or soon after one left; from the api node's warnings); cancelled = abandoned copies "
      + "the panel nodes logged. Member call = the mean upstream latency the panel nodes logged "
      + "(the fake's fixed latency plus scheduling delay on a busy machine); a slot is held at least that long, so the "
      + "ceiling at that latency is what the caps really allowed.\n\n");

    JoinResult j = r.join;
    if (j != null) {
      ScenarioResult s = j.result();
      md.append("## Nodes joining under load\n\n");
      md.append(f("%d panel nodes were launched %.1f s into a %d s run at c = %d (%d panel node until then); the api node "
          + "listed all %d with their role at %.1f s (%.1f s after launch, JVM start and Hazelcast join included). "
          + "Fusion rps from the fake upstream's request count (%d requests per fusion): **%.2f before, %.2f once joined** "
          + "(from %.1f s to the end of the window; %.2fx); it first reached 90 %% of the joined rate at %s. "
          + "The run completed %d requests with **%d errors**; panel calls "
          + "per node during it: %s; member calls resent by the router: %d, copies cancelled on the panel nodes: %d. "
          + "Machine busy during the run: %s.%n%n", j.nodesAfter() - j.nodesBefore(),
        j.launchAtMs() / 1000.0, j.windowMs() / 1000, o.concurrency(), j.nodesBefore(), j.nodesAfter(),
        j.joinedAtMs() / 1000.0, (j.joinedAtMs() - j.launchAtMs()) / 1000.0, JoinResult.CALLS_PER_FUSION, j.rpsBefore(),
        j.rpsAfter(), (j.joinedAtMs() + j.settleMs()) / 1000.0, ScaleMath.ratio(j.rpsAfter(), j.rpsBefore()),
        j.reachedAtMs(0.9) < 0 ? "no point" : f("%.1f s", j.reachedAtMs(0.9) / 1000.0),
        s.ok(), s.errors(), calls(j.perNode()), j.resends(), j.perNode().stream().mapToLong(PanelLog.Tally::cancelled).sum(),
        pct(j.machineBusyPct())));
      if (!s.errorSamples().isEmpty()) {
        md.append("Errors: ").append(String.join("; ", s.errorSamples())).append("\n\n");
      }
      md.append("The new nodes take new calls at once, but the fusions already waiting keep their calls in the first "
        + "node's queue (first come, first served), which drains at that node's rate: the full rate follows the join by "
        + "about that backlog's drain time. A joining node never makes the router send a call twice: confirmations "
        + "are only timed after a node has left.\n\n");
      md.append("Fusion rps per 2 s: ").append(j.timeline(2000).stream()
        .map(b -> f("%.0f-%.0f s %.1f", b[0] / 1000, b[0] / 1000 + 2, b[1])).collect(Collectors.joining(" | ")))
        .append("\n\n");
    }

    md.append("## CPU\n\n");
    r.notes.forEach(n -> md.append("- ").append(n).append('\n'));
    md.append("\n## Node commands\n\n```\n").append(r.nodeCommands).append("\n```\n");
    return md.toString();
  }

  static JsonObject json(ScaleResults r) {
    ScaleOptions o = r.options;
    JsonArray rows = new JsonArray();
    r.rows.forEach(row -> rows.add(row.toJson(r.cores)));
    return new JsonObject()
      .put("command", r.commandLine)
      .put("machine", r.machine)
      .put("loadavg_start", r.loadAtStart)
      .put("loadavg_end", r.loadAtEnd)
      .put("cluster_name", r.clusterName)
      .put("hazelcast_port", o.clusterPort())
      .put("node_commands", r.nodeCommands)
      .put("fake_upstream", o.fake().describe())
      .put("members", ScaleOptions.MEMBERS)
      .put("panel_max_concurrency", o.panelCap())
      .put("member_ms", o.memberMs())
      .put("judge_ms", o.judgeMs())
      .put("concurrency", o.concurrency())
      .put("format", o.format())
      .put("proxy_jvm", o.proxyJvm())
      .put("rows", rows)
      .put("median_rps_1", num(r.medianRps(1)))
      .put("median_rps_" + o.nodesAfter(), num(r.medianRps(o.nodesAfter())))
      .put("ceiling_rps_1", r.ceiling(1))
      .put("ceiling_rps_" + o.nodesAfter(), r.ceiling(o.nodesAfter()))
      .put("ratio", num(r.measuredRatio()))
      .put("expected_ratio", r.expectedRatio())
      .put("join", r.join == null ? null : r.join.toJson())
      .put("notes", new JsonArray(r.notes));
  }

  private static Object num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String calls(List<PanelLog.Tally> perNode) {
    return perNode.stream().map(t -> Long.toString(t.calls())).collect(Collectors.joining(" / "));
  }

  private static String pct(double v) {
    return v < 0 || Double.isNaN(v) ? "-" : f("%.0f %%", v);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
