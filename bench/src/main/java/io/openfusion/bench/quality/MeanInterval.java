package io.openfusion.bench.quality;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A mean over per-task values with its 95 % Student-t interval: {@code mean ± t(0.975, n-1) · sd / sqrt(n)}, clamped
 * to the range the values can take. Used for rubric scores (per-task scores in [0, 1]) and for paired differences
 * between two modes on the same tasks (in [-1, 1]).
 *
 * <p>Why t and not a bootstrap: rubric runs are small (ten to a hundred tasks). At n = 10 a percentile bootstrap
 * covers noticeably less than 95 %, while the t interval is exact for normal data and close to nominal for bounded
 * scores averaged over ten or more tasks; it is also closed-form, so a rerun on the same answers gives the same
 * interval, and the regression gate can use the matching Welch test.
 *
 * @param n    values averaged
 * @param mean their mean (NaN when n = 0)
 * @param sd   their sample standard deviation (0 when n &lt; 2)
 * @param low  lower 95 % bound
 * @param high upper 95 % bound
 */
public record MeanInterval(int n, double mean, double sd, double low, double high) {

  /** The two-sided 95 % quantile of Student's t with {@code df} degrees of freedom. */
  public static double t95(double df) {
    return new TDistribution(null, df).inverseCumulativeProbability(0.975);
  }

  /** Scores in [0, 1]. */
  public static MeanInterval ofScores(double[] values) {
    return of(values, 0, 1);
  }

  /** Differences of scores in [-1, 1]. */
  public static MeanInterval ofDifferences(double[] values) {
    return of(values, -1, 1);
  }

  /** With fewer than two values the interval is the whole range: one task says nothing about the spread. */
  public static MeanInterval of(double[] values, double min, double max) {
    int n = values.length;
    if (n == 0) {
      return new MeanInterval(0, Double.NaN, 0, min, max);
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / n;
    if (n == 1) {
      return new MeanInterval(1, mean, 0, min, max);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double half = t95(n - 1) * sd / Math.sqrt(n);
    return new MeanInterval(n, mean, sd, Math.max(min, mean - half), Math.min(max, mean + half));
  }

  /**
   * The 95 % interval of {@code mean1 - mean2} for two independent samples, by Welch's t (unequal variances, the
   * Welch-Satterthwaite degrees of freedom).
   *
   * @return {@code [low, high]}; [-1, 1] when either side has fewer than two values
   */
  public static double[] welchDifference(int n1, double mean1, double sd1, int n2, double mean2, double sd2) {
    if (n1 < 2 || n2 < 2) {
      return new double[] {-1, 1};
    }
    double v1 = sd1 * sd1 / n1;
    double v2 = sd2 * sd2 / n2;
    double se = Math.sqrt(v1 + v2);
    double d = mean1 - mean2;
    if (se == 0) {
      return new double[] {d, d};
    }
    double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
    double half = t95(df) * se;
    return new double[] {Math.max(-1, d - half), Math.min(1, d + half)};
  }

  public String percent() {
    return String.format("%.1f-%.1f%%", 100 * low, 100 * high);
  }
}
