package io.openfusion.bench.common;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles over recorded samples (the sample counts here are small enough to keep them all). */
public final class Percentiles {

  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  public static Percentiles of(long[] samples, int count) {
    long[] copy = Arrays.copyOf(samples, count);
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public static Percentiles ofDoubles(List<Double> samples) {
    long[] micros = new long[samples.size()];
    for (int i = 0; i < micros.length; i++) {
      micros[i] = Math.round(samples.get(i) * 1_000_000d);
    }
    Arrays.sort(micros);
    return new Percentiles(micros);
  }

  public int count() {
    return sorted.length;
  }

  /**
   * Nearest-rank percentile: the smallest sample with at least {@code q} of the samples at or below it.
   *
   * @param q in [0, 1]
   * @return the sample, or 0 when there are none
   */
  public long at(double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  public long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  public double mean() {
    if (sorted.length == 0) {
      return 0;
    }
    double sum = 0;
    for (long v : sorted) {
      sum += v;
    }
    return sum / sorted.length;
  }

  /** Median of a few repeated measurements (the middle one, or the mean of the two middle ones). */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
