package io.openfusion.bench.quality;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegressionGateTest {

  private static JsonObject run(String taskSet, RegressionGate.Metric... metrics) {
    JsonArray list = new JsonArray();
    for (RegressionGate.Metric m : metrics) {
      list.add(m.toJson());
    }
    return new JsonObject().put("tasks", "t.jsonl").put("tasks_complete", 100).put("task_set", taskSet).put("metrics", list);
  }

  private static RegressionGate.Outcome outcome(int baseCorrect, int nowCorrect, int n) {
    RegressionGate.Result r = RegressionGate.compare(run("s", RegressionGate.Metric.proportion("accuracy/vote", baseCorrect, n)),
      run("s", RegressionGate.Metric.proportion("accuracy/vote", nowCorrect, n)));
    assertThat(r.error()).isNull();
    return r.checks().get(0).outcome();
  }

  @Test
  void tripsWhenTheDifferenceIntervalIsBelowZero() {
    assertThat(outcome(80, 60, 100)).isEqualTo(RegressionGate.Outcome.REGRESSION);
    assertThat(outcome(80, 74, 100)).isEqualTo(RegressionGate.Outcome.WITHIN_NOISE);
    assertThat(outcome(80, 93, 100)).isEqualTo(RegressionGate.Outcome.IMPROVEMENT);
    // the same 6-point drop is real at n = 2000
    assertThat(outcome(1600, 1480, 2000)).isEqualTo(RegressionGate.Outcome.REGRESSION);
    RegressionGate.Result r = RegressionGate.compare(run("s", RegressionGate.Metric.proportion("accuracy/vote", 80, 100)),
      run("s", RegressionGate.Metric.proportion("accuracy/vote", 60, 100)));
    assertThat(r.regressed()).isTrue();
    assertThat(r.regressions().get(0)).startsWith("accuracy/vote 80.0% -> 60.0%");
    assertThat(r.markdown()).contains("REGRESSION");
  }

  /**
   * Many pairs of simulated runs of one unchanged system (n = 200 tasks at 80 %): the gate fires on about 2.5 % of
   * them at most, while "this run below the baseline's lower bound" fires several times as often.
   */
  @Test
  void rarelyTripsOnNoise() {
    SplittableRandom r = new SplittableRandom(11);
    int trials = 4000;
    int gate = 0;
    int naive = 0;
    for (int i = 0; i < trials; i++) {
      int base = binomial(r, 200, 0.8);
      int now = binomial(r, 200, 0.8);
      double[] d = Wilson.difference(now, 200, base, 200);
      gate += d[1] < 0 ? 1 : 0;
      naive += (double) now / 200 < Wilson.of(base, 200).low() ? 1 : 0;
    }
    assertThat((double) gate / trials).isLessThan(0.035);
    assertThat((double) naive / trials).isGreaterThan(0.05);
  }

  /** A 12-point drop (80 % to 68 %) over 400 tasks is caught nearly every time. */
  @Test
  void catchesARealDrop() {
    SplittableRandom r = new SplittableRandom(12);
    int trials = 2000;
    int caught = 0;
    for (int i = 0; i < trials; i++) {
      double[] d = Wilson.difference(binomial(r, 400, 0.68), 400, binomial(r, 400, 0.8), 400);
      caught += d[1] < 0 ? 1 : 0;
    }
    assertThat((double) caught / trials).isGreaterThan(0.95);
  }

  @Test
  void rubricScoresUseWelch() {
    double[] same = {0.4, 0.5, 0.6, 0.45, 0.55, 0.5, 0.42, 0.58, 0.5, 0.5};
    double[] lower = {0.1, 0.2, 0.15, 0.25, 0.2, 0.1, 0.3, 0.2, 0.15, 0.2};
    RegressionGate.Metric base = RegressionGate.Metric.mean("score/panel_judge", MeanInterval.ofScores(same));
    RegressionGate.Result drop = RegressionGate.compare(run("s", base),
      run("s", RegressionGate.Metric.mean("score/panel_judge", MeanInterval.ofScores(lower))));
    assertThat(drop.regressed()).isTrue();
    double[] shifted = same.clone();
    shifted[0] = 0.3;
    RegressionGate.Result noise = RegressionGate.compare(run("s", base),
      run("s", RegressionGate.Metric.mean("score/panel_judge", MeanInterval.ofScores(shifted))));
    assertThat(noise.checks().get(0).outcome()).isEqualTo(RegressionGate.Outcome.WITHIN_NOISE);
  }

  @Test
  void refusesBaselinesOfOtherTasksAndReportsMissingMetrics() {
    RegressionGate.Result other = RegressionGate.compare(run("a", RegressionGate.Metric.proportion("accuracy/solo", 5, 10)),
      run("b", RegressionGate.Metric.proportion("accuracy/solo", 5, 10)));
    assertThat(other.error()).contains("other tasks");
    assertThat(other.regressed()).isFalse();
    RegressionGate.Result partial = RegressionGate.compare(
      run("s", RegressionGate.Metric.proportion("accuracy/solo", 5, 10), RegressionGate.Metric.proportion("accuracy/vote", 6, 10)),
      run("s", RegressionGate.Metric.proportion("accuracy/solo", 5, 10), RegressionGate.Metric.proportion("win_rate/vote/solo", 3, 4)));
    assertThat(partial.checks()).extracting(RegressionGate.Check::outcome).containsExactly(
      RegressionGate.Outcome.WITHIN_NOISE, RegressionGate.Outcome.NOT_IN_RUN, RegressionGate.Outcome.NEW);
  }

  @Test
  void readsOnlyResultFiles(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.json");
    Files.writeString(good, run("s", RegressionGate.Metric.proportion("accuracy/solo", 5, 10)).encode());
    assertThat(RegressionGate.readBaseline(good).getString("task_set")).isEqualTo("s");
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"modes\": []}");
    assertThatThrownBy(() -> RegressionGate.readBaseline(bad)).hasMessageContaining("not a quality result file");
    assertThatThrownBy(() -> RegressionGate.readBaseline(dir.resolve("missing.json"))).hasMessageContaining("no baseline file");
    Files.writeString(bad, "not json");
    assertThatThrownBy(() -> RegressionGate.readBaseline(bad)).hasMessageContaining("is not JSON");
    assertThat(List.of(RegressionGate.Metric.fromJson(RegressionGate.Metric.proportion("k", 3, 4).toJson())))
      .containsExactly(RegressionGate.Metric.proportion("k", 3, 4));
  }

  static int binomial(SplittableRandom r, int n, double p) {
    int k = 0;
    for (int i = 0; i < n; i++) {
      k += r.nextDouble() < p ? 1 : 0;
    }
    return k;
  }
}
