package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WilsonTest {

  @Test
  void matchesTheClosedForm() {
    Wilson w = Wilson.of(8, 10);
    assertThat(w.low()).isCloseTo(0.49016, within(1e-4));
    assertThat(w.high()).isCloseTo(0.94332, within(1e-4));
    Wilson big = Wilson.of(84, 100);
    assertThat(big.low()).isCloseTo(0.75580, within(1e-4));
    assertThat(big.high()).isCloseTo(0.89905, within(1e-4));
  }

  @Test
  void staysInsideZeroToOneAtTheEdges() {
    assertThat(Wilson.of(0, 10).low()).isEqualTo(0.0);
    assertThat(Wilson.of(0, 10).high()).isCloseTo(0.27754, within(1e-4));
    assertThat(Wilson.of(10, 10).high()).isEqualTo(1.0);
    assertThat(Wilson.of(10, 10).low()).isCloseTo(0.72246, within(1e-4));
    assertThat(Wilson.of(0, 0)).isEqualTo(new Wilson(0, 1));
  }

  @Test
  void narrowsWithMoreSamples() {
    Wilson small = Wilson.of(7, 10);
    Wilson large = Wilson.of(700, 1000);
    assertThat(large.high() - large.low()).isLessThan(small.high() - small.low());
    assertThat(large.low()).isLessThan(0.7);
    assertThat(large.high()).isGreaterThan(0.7);
  }

  @Test
  void differenceOfTwoProportionsByNewcombe() {
    // Newcombe (1998), example (a), method 10
    double[] d = Wilson.difference(56, 70, 48, 80);
    assertThat(d[0]).isCloseTo(0.0524, within(1e-4));
    assertThat(d[1]).isCloseTo(0.3339, within(1e-4));
    // symmetric when the sides swap
    double[] r = Wilson.difference(48, 80, 56, 70);
    assertThat(r[0]).isCloseTo(-d[1], within(1e-12));
    assertThat(r[1]).isCloseTo(-d[0], within(1e-12));
    // defined at the edges, and the whole range without data
    double[] edge = Wilson.difference(10, 10, 0, 10);
    assertThat(edge[1]).isEqualTo(1.0);
    assertThat(edge[0]).isGreaterThan(0.5);
    assertThat(Wilson.difference(1, 0, 3, 5)).containsExactly(-1, 1);
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> Wilson.of(11, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
