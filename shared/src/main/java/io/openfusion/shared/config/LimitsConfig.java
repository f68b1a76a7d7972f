package io.openfusion.shared.config;

/**
 * Admission limits.
 *
 * @param maxInFlight        concurrent fused/pass-through requests, 0 = unlimited (over it: 503)
 * @param rateLimitPerMinute requests per minute per gateway key (or the anonymous bucket),
 *                           0 = unlimited (over it: 429)
 */
public record LimitsConfig(int maxInFlight, int rateLimitPerMinute) {

  public static LimitsConfig unlimited() {
    return new LimitsConfig(0, 0);
  }
}
