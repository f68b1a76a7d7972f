package io.openfusion.bench.scale;

import io.openfusion.bench.perf.ScenarioResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Panel nodes joining a cluster under load: one closed-loop run during which the extra nodes are launched. Times are
 * milliseconds from the start of the run.
 *
 * @param launchAtMs when the new nodes' JVMs were started
 * @param joinedAtMs when the api node first listed every panel node with its role
 * @param windowMs   the run's time cap: no request starts after it
 * @param settleMs   from the join to the start of the "after" window
 * @param result     the whole run (errors here are requests that failed while nodes joined)
 * @param samples    the fake upstream's request count over the run
 * @param perNode    panel calls each panel node made during the run, in start order
 * @param resends    member calls the router sent again during the run
 */
record JoinResult(int nodesBefore, int nodesAfter, long launchAtMs, long joinedAtMs, long windowMs, long settleMs,
                  ScenarioResult result, List<UpstreamTimeline.Sample> samples, List<PanelLog.Tally> perNode,
                  double machineBusyPct, long resends) {

  /** Fusions made per upstream request: one per member and one for the judge. */
  static final int CALLS_PER_FUSION = ScaleOptions.MEMBERS + 1;
  /**
   * The run's ramp: every client sends at once, and judge calls (a quarter of the upstream requests) only start once
   * the first fusions' members have answered, so the first seconds under-count fusions.
   */
  static final long RAMP_MS = 3000;

  /** Fusions per second from the upstream timeline in {@code [fromMs, toMs]}, NaN when the window is empty. */
  double fusionRps(long fromMs, long toMs) {
    return toMs - fromMs < 1000 ? Double.NaN : UpstreamTimeline.rate(samples, fromMs, toMs) / CALLS_PER_FUSION;
  }

  double rpsBefore() {
    return fusionRps(RAMP_MS, launchAtMs);
  }

  double rpsAfter() {
    return fusionRps(joinedAtMs + settleMs, windowMs);
  }

  /**
   * When the fusion rate, in 1 s steps after the launch, first reached {@code fraction} of the joined rate; -1 when
   * it never did.
   */
  long reachedAtMs(double fraction) {
    double target = rpsAfter() * fraction;
    for (long t = launchAtMs; t + 1000 <= windowMs; t += 500) {
      if (fusionRps(t, t + 1000) >= target) {
        return t + 1000;
      }
    }
    return -1;
  }

  /** Fusion rps per {@code widthMs} bucket over the whole window, for the timeline line of the report. */
  List<double[]> timeline(long widthMs) {
    return UpstreamTimeline.buckets(samples, 0, windowMs, widthMs).stream()
      .map(b -> new double[] {b[0], b[1] / CALLS_PER_FUSION}).toList();
  }

  JsonObject toJson() {
    JsonArray calls = new JsonArray();
    perNode.forEach(t -> calls.add(t.calls()));
    JsonArray timeline = new JsonArray();
    samples.forEach(s -> timeline.add(new JsonArray().add(s.atMs()).add(s.requests())));
    return new JsonObject()
      .put("nodes_before", nodesBefore)
      .put("nodes_after", nodesAfter)
      .put("launch_at_ms", launchAtMs)
      .put("joined_at_ms", joinedAtMs)
      .put("window_ms", windowMs)
      .put("fusion_rps_before", rpsBefore())
      .put("settle_ms", settleMs)
      .put("fusion_rps_after", rpsAfter())
      .put("reached_90pct_at_ms", reachedAtMs(0.9))
      .put("machine_busy_pct", machineBusyPct)
      .put("member_calls_resent", resends)
      .put("panel_calls_cancelled", perNode.stream().mapToLong(PanelLog.Tally::cancelled).sum())
      .put("panel_calls_per_node", calls)
      .put("run", result.toJson())
      .put("upstream_requests_timeline", timeline);
  }
}
