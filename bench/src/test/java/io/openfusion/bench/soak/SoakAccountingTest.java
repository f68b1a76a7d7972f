package io.openfusion.bench.soak;

import io.openfusion.bench.soak.SoakBench.Sample;
import io.openfusion.bench.soak.SoakBench.SoakRun;
import io.openfusion.bench.soak.SoakTally.Kind;
import io.openfusion.bench.soak.SoakTally.Outcome;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The soak's accounting and report, on made-up answers and samples: no network, no clock. */
class SoakAccountingTest {

  private static final String STREAM = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n";
  private static final String ERROR_STREAM = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"
    + "data: {\"error\":{\"message\":\"upstream reset\",\"type\":\"server_error\",\"code\":\"upstream_error\"}}\n\n"
    + "data: [DONE]\n\n";
  private static final String JSON = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}";
  private static final String ENVELOPE = "{\"error\":{\"message\":\"try later\",\"type\":\"server_error\",\"code\":\"upstream_error\"}}";

  @Test
  void fullAnswersAreOkAndOnlyTheFlakyPassThroughMayEndInADefinedError() {
    assertThat(SoakTally.judge(Kind.FUSION_STREAM, 200, STREAM)).isEqualTo(Outcome.OK);
    assertThat(SoakTally.judge(Kind.FUSION_JSON, 200, JSON)).isEqualTo(Outcome.OK);
    assertThat(SoakTally.judge(Kind.FLAKY_STREAM, 200, ERROR_STREAM)).isEqualTo(Outcome.DEFINED_ERROR);
    assertThat(SoakTally.judge(Kind.FLAKY_JSON, 502, ENVELOPE)).isEqualTo(Outcome.DEFINED_ERROR);

    assertThat(SoakTally.judge(Kind.FUSION_STREAM, 200, ERROR_STREAM)).as("a fusion must survive a flaky member").isNull();
    String progress = ": member flaky failed {\"error\":{\"code\":\"upstream_error\"}}\n\n" + STREAM;
    assertThat(SoakTally.judge(Kind.FUSION_STREAM, 200, progress)).as("a failed member named in a comment").isEqualTo(Outcome.OK);
    assertThat(SoakTally.problem(Kind.FUSION_STREAM, 200, "data: {\"choices\":[{\"delta\":{\"content\":\"\"}}]}\n\ndata: [DONE]\n\n"))
      .startsWith("stream without content");
    assertThat(SoakTally.judge(Kind.PASS_JSON, 502, ENVELOPE)).isNull();
    assertThat(SoakTally.judge(Kind.FLAKY_JSON, 502, "Bad Gateway")).as("an error without the envelope").isNull();
    assertThat(SoakTally.problem(Kind.PASS_STREAM, 200, "data: {\"choices\":[]}\n\n")).startsWith("stream without [DONE]");
    assertThat(SoakTally.problem(Kind.FUSION_JSON, 200, "{\"choices\":[{\"message\":{\"content\":\"\"}}]}"))
      .startsWith("no content");
    assertThat(SoakTally.problem(Kind.PASS_JSON, 200, "<html>")).startsWith("not JSON");
  }

  @Test
  void theMixCyclesThroughEveryKindHalfOfItFusion() {
    List<Kind> cycle = java.util.stream.IntStream.range(0, SoakTally.MIX.size()).mapToObj(SoakTally::kindOf).toList();
    assertThat(cycle).containsExactlyInAnyOrderElementsOf(SoakTally.MIX).contains(Kind.values());
    assertThat(cycle.stream().filter(kind -> kind.model.equals("openfusion"))).hasSize(SoakTally.MIX.size() / 2);
    assertThat(SoakTally.kindOf(SoakTally.MIX.size() + 3)).isEqualTo(SoakTally.kindOf(3));
  }

  @Test
  void refusalsAreCountedApartFromAcceptedRequests() {
    SoakTally tally = new SoakTally();
    tally.record(Kind.FUSION_STREAM, Outcome.OK);
    tally.record(Kind.FLAKY_JSON, Outcome.DEFINED_ERROR);
    tally.record(Kind.LEAVE_PASS, Outcome.LEFT);
    tally.refuse();
    tally.refuse();
    tally.lose(Kind.PASS_STREAM, "#7 stream without [DONE]");

    assertThat(tally.accepted()).isEqualTo(4);
    assertThat(tally.refused()).isEqualTo(2);
    assertThat(tally.total(Outcome.LOST)).isEqualTo(1);
    assertThat(tally.count(Kind.PASS_STREAM, Outcome.LOST)).isEqualTo(1);
    assertThat(tally.lost()).containsExactly("pass-stream: #7 stream without [DONE]");
  }

  @Test
  void aQuietFlatRunPassesEveryCheck() {
    SoakRun run = run(t -> 300_000, 0, 40);
    assertThat(SoakReport.verdicts(run)).allMatch(SoakReport.Verdict::pass);
    String md = SoakReport.markdown(run);
    assertThat(md).contains("| lost requests | PASS | 0 of ").doesNotContain("FAIL");
    assertThat(SoakReport.csv(run).lines()).hasSize(1 + run.samples.size());
  }

  @Test
  void rssThatKeepsGrowingAfterWarmUpFails() {
    // about 300 MB growing by 10 MB a minute: over the 15 minutes after warm-up it leaves the ±10 % band
    SoakRun run = run(t -> 300_000 + t / 60_000 * 10_240, 0, 40);
    SoakReport.Verdict a1 = verdict(run, "RSS of a1");
    assertThat(a1.pass()).isFalse();
    assertThat(a1.detail()).contains("trend +");
    assertThat(verdict(run, "lost requests").pass()).isTrue();
  }

  @Test
  void aLostRequestAStuckGaugeOrGrowingMapsFail() {
    SoakRun lost = run(t -> 300_000, 0, 40);
    lost.tally.lose(Kind.FUSION_JSON, "#3 no answer within 60000 ms");
    assertThat(verdict(lost, "lost requests").pass()).isFalse();
    assertThat(SoakReport.markdown(lost)).contains("#3 no answer within 60000 ms");

    SoakRun stuck = run(t -> 300_000, 1, 40);
    assertThat(verdict(stuck, "per-request state").pass()).isFalse();

    SoakRun growing = run(t -> 300_000, 0, 400);
    assertThat(verdict(growing, "cluster map entries").pass()).isFalse();
  }

  @Test
  void gaugesAreReadFromPrometheusText() {
    NodeGauges gauges = NodeGauges.parse("""
      # HELP openfusion_api_streams streams
      openfusion_api_streams{node="n1"} 3.0
      openfusion_api_in_flight{node="n1"} 4.0
      openfusion_cancel_signals{node="n1",role="router"} 2.0
      openfusion_cancel_signals{node="n1",role="panel"} 5.0
      openfusion_worker_calls{node="n1",role="panel",state="running"} 1.0
      openfusion_worker_calls{node="n1",role="panel",state="waiting"} 0.0
      openfusion_cluster_map_entries{map="openfusion.ratelimit",node="n1"} 12.0
      openfusion_cluster_map_entries{map="openfusion.responses",node="n1"} 7.0
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space",node="n1"} 1048576.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace",node="n1"} 9999999.0
      """);
    assertThat(gauges.values()).containsEntry("openfusion_api_streams", 3.0)
      .containsEntry("openfusion_cancel_signals{role=\"panel\"}", 5.0)
      .containsEntry("openfusion_router_runs", 0.0)
      .containsEntry("jvm_heap_used_mb", 1.0);
    assertThat(gauges.perRequestTotal()).isEqualTo(3 + 4 + 2 + 5 + 1);
    assertThat(gauges.maps()).containsEntry("openfusion.ratelimit", 12.0).containsEntry("openfusion.responses", 7.0);
    assertThat(gauges.mapEntries()).isEqualTo(19.0);
  }

  @Test
  void durationTakesMinutesOrSeconds() {
    assertThat(SoakBench.durationMinutes("20")).isEqualTo(20.0);
    assertThat(SoakBench.durationMinutes("2m")).isEqualTo(2.0);
    assertThat(SoakBench.durationMinutes("90s")).isEqualTo(1.5);
    assertThatThrownBy(() -> SoakBench.durationMinutes("soon")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SoakBench.durationMinutes("0")).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- a made-up run -------------------------------------------------------------------------------------

  /**
   * 20 minutes sampled every 10 s, warm-up the first quarter, 100 requests answered, then an idle reading.
   *
   * @param rssKb      a1's and p1's RSS at a time (ms into the load)
   * @param idleGauge  what one per-request gauge still reads once idle
   * @param endMaps    cluster map entries at the end of the load (40 at warm-up end)
   */
  private static SoakRun run(LongUnaryOperator rssKb, double idleGauge, double endMaps) {
    SoakRun run = new SoakRun();
    run.minutes = 20;
    run.concurrency = 8;
    run.sampleS = 10;
    run.warmupFraction = 0.25;
    run.faultRate = 0.3;
    run.commandLine = "soak --duration 20m";
    run.machine = "test";
    for (int i = 0; i < 100; i++) {
      run.tally.record(SoakTally.kindOf(i), Outcome.OK);
    }
    run.checkpoints.put("start (idle)", sample(run, 0, rssKb, 0, 10));
    for (long t = 10_000; t <= 1_200_000; t += 10_000) {
      Sample s = sample(run, t, rssKb, 5, t < 300_000 ? 20 + t / 15_000 : 40);
      if (t == 300_000) {
        run.warmupSampleIndex = run.samples.size() - 1;
        run.checkpoints.put("warm-up end", s);
      }
    }
    run.checkpoints.put("end of load", sample(run, 1_200_000, rssKb, 5, endMaps));
    run.checkpoints.put("idle after load", sample(run, 1_205_000, rssKb, idleGauge, endMaps));
    return run;
  }

  private static Sample sample(SoakRun run, long atMs, LongUnaryOperator rssKb, double perRequest, double maps) {
    Map<String, Long> rss = new LinkedHashMap<>();
    rss.put("a1", rssKb.applyAsLong(atMs));
    rss.put("p1", rssKb.applyAsLong(atMs) / 2);
    Map<String, Double> values = new LinkedHashMap<>();
    NodeGauges.PER_REQUEST.forEach(g -> values.put(NodeGauges.key(g), 0.0));
    values.put("openfusion_api_streams", perRequest);
    values.put("jvm_heap_used_mb", 80.0);
    Map<String, NodeGauges> gauges = Map.of("a1", new NodeGauges(values, Map.of("openfusion.ratelimit", maps)));
    Sample sample = new Sample(atMs, rss, gauges, "1.00 1.00 1.00", 0, 0, 0, 0, 0);
    run.samples.add(sample);
    return sample;
  }

  private static SoakReport.Verdict verdict(SoakRun run, String prefix) {
    return SoakReport.verdicts(run).stream().filter(v -> v.check().startsWith(prefix)).findFirst().orElseThrow();
  }
}
