package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole quality pipeline (recipes, the proxy started in-process, the aggregators, scoring, pairwise judging in both
 * orders) against simulated members whose accuracy is known: 400 tasks, 5 members right 70 % of the time with
 * independent errors, fixed seed. Vote must land near the binomial majority (83.7 %), solo near 70 %.
 */
class OfflineCheckTest {

  @Test
  @Timeout(180)
  void voteAndSoloMatchTheory() throws Exception {
    QualityBench.Options options = QualityBench.Options.offline("synthetic:400", 0.7, 42, SimUpstream.Wrong.SHARED,
      List.of("solo", "vote"), 16, List.of("auto"));
    Report report = QualityBench.run(options);
    Map<String, Report.Summary> s = report.summaries();

    assertThat(report.completeTasks()).isEqualTo(400);
    assertThat(report.stopped()).isFalse();
    assertThat(s.get("solo").errors()).isZero();
    assertThat(s.get("vote").errors()).isZero();
    assertThat(s.get("solo").graded()).isEqualTo(400);
    // sd at n = 400 is about 2.3 points (solo) and 1.8 points (vote); the seed is fixed, so this is deterministic
    assertThat(s.get("solo").accuracy()).isCloseTo(0.70, within(0.06));
    assertThat(s.get("vote").accuracy()).isCloseTo(Theory.vote(5, 0.7, SimUpstream.Wrong.SHARED), within(0.05));
    assertThat(s.get("vote").accuracy()).isGreaterThan(s.get("solo").accuracy());
    // the fused request pays for five members
    assertThat(s.get("vote").cost()).isGreaterThan(4 * s.get("solo").cost());
    assertThat(s.get("vote").members()).isEqualTo(5);

    PairwiseResult pair = report.pairwise().get(0);
    assertThat(pair.first()).isEqualTo("vote");
    assertThat(pair.second()).isEqualTo("solo");
    assertThat(pair.orders()).isEqualTo(2);
    assertThat(pair.unparsed()).isZero();
    assertThat(pair.judged()).isEqualTo(400);
    // an unbiased judge agrees with itself in both orders, and picks A and B equally often
    assertThat(pair.inconsistent()).isZero();
    assertThat(pair.positionARate()).isCloseTo(0.5, within(1e-9));
    assertThat(pair.winRate()).isCloseTo(Theory.winRateAgainstSolo(5, 0.7, SimUpstream.Wrong.SHARED, true), within(0.12));
    assertThat(report.markdown()).contains("| vote accuracy |").contains("| solo | sim/m1 | 1 |");

    // every dollar the simulated providers billed was counted
    assertThat(report.spentUsd()).isCloseTo(report.spend().getDouble("simulator_billed_usd"), within(1e-9));
    assertThat(report.json().getJsonArray("metrics").stream().map(m -> ((io.vertx.core.json.JsonObject) m).getString("key")))
      .containsExactly("accuracy/solo", "accuracy/vote", "win_rate/vote/solo");
  }
}
