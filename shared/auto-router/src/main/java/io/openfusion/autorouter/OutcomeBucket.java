package io.openfusion.autorouter;

/**
 * One exponential moving average of success (1) and failure (0), with its observation count. Immutable:
 * {@link #observe} returns the next state.
 *
 * @param ema   the moving average, 0..1
 * @param count how many observations it has seen
 */
record OutcomeBucket(double ema, long count) {

  /** Weight of the newest observation: slow enough that a few errors do not flip the preference. */
  static final double ALPHA = 0.05;
  /** Neutral prior: no evidence either way. */
  static final double START = 0.5;
  /** Observations needed before a bucket is trusted. */
  static final long MIN_OBSERVATIONS = 10;
  /** How much better one route must be before it is preferred. */
  static final double MARGIN = 0.15;
  /** Absorbs binary rounding, so a gap of exactly 0.15 in decimal (0.60 - 0.45) counts as reaching the margin. */
  private static final double EPSILON = 1e-9;

  static OutcomeBucket initial() {
    return new OutcomeBucket(START, 0);
  }

  OutcomeBucket observe(boolean success) {
    double value = success ? 1.0 : 0.0;
    return new OutcomeBucket((1 - ALPHA) * ema + ALPHA * value, count + 1);
  }

  boolean reliable() {
    return count >= MIN_OBSERVATIONS;
  }

  /**
   * @param fusion      the fusion bucket of a tier, null if never recorded
   * @param passThrough the pass-through bucket of the same tier, null if never recorded
   * @return TRUE / FALSE when both are reliable and one leads by at least {@link #MARGIN}, else null
   */
  static Boolean preferFuse(OutcomeBucket fusion, OutcomeBucket passThrough) {
    if (fusion == null || passThrough == null || !fusion.reliable() || !passThrough.reliable()) {
      return null;
    }
    if (fusion.ema - passThrough.ema >= MARGIN - EPSILON) {
      return Boolean.TRUE;
    }
    if (passThrough.ema - fusion.ema >= MARGIN - EPSILON) {
      return Boolean.FALSE;
    }
    return null;
  }
}
