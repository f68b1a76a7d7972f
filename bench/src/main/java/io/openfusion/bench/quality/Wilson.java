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

  public String percent() {
    return String.format("%.1f-%.1f%%", 100 * low, 100 * high);
  }
}
