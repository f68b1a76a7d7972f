package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MeanIntervalTest {

  @Test
  void studentTQuantiles() {
    assertThat(MeanInterval.t95(1)).isCloseTo(12.7062, within(1e-3));
    assertThat(MeanInterval.t95(9)).isCloseTo(2.26216, within(1e-4));
    assertThat(MeanInterval.t95(1000)).isCloseTo(1.96234, within(1e-4));
  }

  @Test
  void meanWithATInterval() {
    // mean 0.5, sample sd 0.2, n = 4: half-width t(3) 3.18245 * 0.2 / 2
    MeanInterval m = MeanInterval.ofScores(new double[] {0.3, 0.5, 0.7, 0.5});
    assertThat(m.mean()).isCloseTo(0.5, within(1e-12));
    assertThat(m.sd()).isCloseTo(Math.sqrt(0.08 / 3), within(1e-12));
    double half = 3.18245 * Math.sqrt(0.08 / 3) / 2;
    assertThat(m.low()).isCloseTo(0.5 - half, within(1e-4));
    assertThat(m.high()).isCloseTo(0.5 + half, within(1e-4));
  }

  @Test
  void staysInsideTheRangeAndIsHonestAboutTinySamples() {
    MeanInterval skewed = MeanInterval.ofScores(new double[] {1, 1, 1, 0.2});
    assertThat(skewed.high()).isEqualTo(1.0);
    assertThat(MeanInterval.ofScores(new double[] {0.4})).isEqualTo(new MeanInterval(1, 0.4, 0, 0, 1));
    assertThat(MeanInterval.ofScores(new double[0]).mean()).isNaN();
    assertThat(MeanInterval.ofDifferences(new double[] {-0.9, -1, -0.95}).low()).isEqualTo(-1.0);
    MeanInterval constant = MeanInterval.ofScores(new double[] {0.6, 0.6, 0.6});
    assertThat(constant.low()).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void welchDifferenceOfTwoMeans() {
    // n1 = n2 = 10, sd 0.1 and 0.2: se = sqrt(0.001 + 0.004), df = 0.005^2 / (0.001^2/9 + 0.004^2/9) = 13.235...
    double[] d = MeanInterval.welchDifference(10, 0.6, 0.1, 10, 0.5, 0.2);
    double se = Math.sqrt(0.005);
    double df = 0.005 * 0.005 / (1e-6 / 9 + 16e-6 / 9);
    assertThat(d[0]).isCloseTo(0.1 - MeanInterval.t95(df) * se, within(1e-12));
    assertThat(d[1]).isCloseTo(0.1 + MeanInterval.t95(df) * se, within(1e-12));
    assertThat(MeanInterval.t95(df)).isBetween(2.14, 2.17);
    assertThat(MeanInterval.welchDifference(1, 0.6, 0, 10, 0.5, 0.1)).containsExactly(-1, 1);
  }
}
