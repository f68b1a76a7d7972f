package io.openfusion.bench.perf;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CompareReportTest {

  private static final List<ProxyBuild> BUILDS = List.of(new ProxyBuild("before", Path.of("/b.jar")),
    new ProxyBuild("after", Path.of("/a.jar")));

  /** One run of 1,000 requests that took {@code 1000 / rps} seconds, with that TTFT p50. */
  private static ScenarioResult run(String target, int c, double rps, double ttftMs) {
    Scenario s = new Scenario(target, "sse", c, 1000, 60_000, 1, "m");
    long wallMs = Math.round(1000 * 1000 / rps);
    return new ScenarioResult(s, 1000, 0, wallMs, Math.round(ttftMs * 1000), 0, 0, 0, 0, 0, -1, -1, -1, 0, "0.5 0.5 0.5",
      List.of(), null, 5, -1, -1, -1, -1);
  }

  @Test
  void runsPairInTheOrderTheyWereMeasuredAndTheVerdictUsesThePairedMedian() {
    List<ScenarioResult> results = new ArrayList<>();
    // the machine gets busier from pair to pair; within each pair after is 1 % slower and 1 ms later
    double[] load = {1000, 800, 600};
    for (double rps : load) {
      results.add(run("passthrough@before", 256, rps, 100));
      results.add(run("passthrough@after", 256, rps * 0.99, 101));
    }
    List<CompareReport.Pair> pairs = CompareReport.pairs(BUILDS, results);
    assertThat(pairs).hasSize(1);
    CompareReport.Pair p = pairs.get(0);
    assertThat(p.pairs()).isEqualTo(3);
    assertThat(p.pairedMedian(ScenarioResult::rps, true)).isCloseTo(0.99, within(0.002));
    assertThat(p.pairedMedian(r -> r.ttftP50() / 1000.0, false)).isCloseTo(1.0, within(1e-9));
    List<JsonObject> targets = CompareReport.targets(BUILDS, results);
    assertThat(targets).extracting(t -> t.getString("status")).containsExactly("MET", "MET");
  }

  @Test
  void aDropBeyondTheToleranceIsMissedAndUncheckedConcurrenciesAreOnlyShown() {
    List<ScenarioResult> results = List.of(
      run("fusion@before", 64, 100, 400), run("fusion@after", 64, 95, 403),
      run("fusion@before", 16, 30, 400), run("fusion@after", 16, 10, 500));
    List<JsonObject> targets = CompareReport.targets(BUILDS, results);
    assertThat(targets).hasSize(2);
    assertThat(targets.get(0).getString("target")).contains("rps").contains("c=64");
    assertThat(targets.get(0).getString("status")).isEqualTo("MISSED");
    assertThat(targets.get(0).getString("measured")).startsWith("-5.0 %");
    assertThat(targets.get(1).getString("status")).isEqualTo("MISSED");
    assertThat(targets.get(1).getString("measured")).startsWith("+3.00 ms");
    assertThat(CompareReport.render(BUILDS, results)).contains("| fusion@after | sse | 16 | 1 |");
  }
}
