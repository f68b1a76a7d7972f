package io.openfusion.bench.quality;

/** The Wilson score interval for a binomial proportion (95 % by default, z = 1.96). */
public record Wilson(double low, double high) {

  public static final double Z95 = 1.96;

  public static Wilson of(int successes, int n) {
    return of(successes, n, Z95);
  }

  /** With {@code n == 0} the interval is the whole of [0, 1]. */
  public static Wilson of(int successes, int n, double z) {
    if (n <= 0) {
      return new Wilson(0, 1);
    }
    if (successes < 0 || successes > n) {
      throw new IllegalArgumentException("successes must be in [0, n]");
    }
    double p = (double) successes / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double center = (p + z2 / (2.0 * n)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    return new Wilson(Math.max(0, center - half), Math.min(1, center + half));
  }

  /**
   * The 95 % interval of the difference {@code k1/n1 - k2/n2} of two independent proportions, by Newcombe's hybrid
   * score method: it is built from the two Wilson intervals, so it behaves at 0 % and 100 % and at small n where the
   * textbook normal interval does not. (Newcombe 1998, method 10: 56/70 - 48/80 gives 0.0524 to 0.3339.)
   *
   * @return {@code [low, high]}; the whole of [-1, 1] when either side has no observations
   */
  public static double[] difference(int k1, int n1, int k2, int n2) {
    if (n1 <= 0 || n2 <= 0) {
      return new double[] {-1, 1};
    }
    double p1 = (double) k1 / n1;
    double p2 = (double) k2 / n2;
    Wilson w1 = of(k1, n1);
    Wilson w2 = of(k2, n2);
    double d = p1 - p2;
    double low = d - Math.sqrt(sq(p1 - w1.low()) + sq(w2.high() - p2));
    double high = d + Math.sqrt(sq(w1.high() - p1) + sq(p2 - w2.low()));
    return new double[] {Math.max(-1, low), Math.min(1, high)};
  }

  private static double sq(double x) {
    return x * x;
  }

  public String percent() {
    return String.format("%.1f-%.1f%%", 100 * low, 100 * high);
  }
}
