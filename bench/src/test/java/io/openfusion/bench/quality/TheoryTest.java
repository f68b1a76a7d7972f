package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TheoryTest {

  @Test
  void sharedWrongAnswersMakeABinaryMajority() {
    assertThat(Theory.vote(5, 0.7, SimUpstream.Wrong.SHARED)).isCloseTo(0.83692, within(1e-5));
    assertThat(Theory.vote(1, 0.7, SimUpstream.Wrong.SHARED)).isCloseTo(0.7, within(1e-12));
    assertThat(Theory.vote(3, 0.5, SimUpstream.Wrong.SHARED)).isCloseTo(0.5, within(1e-12));
    // even panels: the first member breaks the tie
    assertThat(Theory.vote(2, 0.7, SimUpstream.Wrong.SHARED)).isCloseTo(0.49 + 0.21, within(1e-12));
  }

  @Test
  void distinctWrongAnswersLetTwoCorrectVotesWin() {
    // 1 - P(0 right) - P(1 right) + P(1 right) / 5
    double p1 = 5 * 0.7 * Math.pow(0.3, 4);
    assertThat(Theory.vote(5, 0.7, SimUpstream.Wrong.DISTINCT)).isCloseTo(1 - Math.pow(0.3, 5) - p1 + p1 / 5, within(1e-12));
  }

  @Test
  void pairwiseAgainstSolo() {
    // solo is member 1: fused-only-right = 0.3 * P(Bin(4,.7) >= 3), solo-only-right = 0.7 * P(Bin(4,.7) <= 1)
    double fused = 0.3 * (0.2401 + 0.4116);
    double solo = 0.7 * (0.0081 + 0.0756);
    assertThat(Theory.winRateAgainstSolo(5, 0.7, SimUpstream.Wrong.SHARED, true)).isCloseTo(fused / (fused + solo), within(1e-9));
    double v = Theory.vote(5, 0.7, SimUpstream.Wrong.SHARED);
    assertThat(Theory.winRateAgainstSolo(5, 0.7, SimUpstream.Wrong.SHARED, false))
      .isCloseTo(v * 0.3 / (v * 0.3 + (1 - v) * 0.7), within(1e-12));
  }
}
