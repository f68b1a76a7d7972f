package io.openfusion.shared.upstream.impl;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formats milliseconds as seconds for messages: whole seconds from 10 s up (60000 → "60"), tenths below
 * (1500 → "1.5", 399 → "0.4", 300 → "0.3").
 */
final class Durations {

  private Durations() {
  }

  static String seconds(long millis) {
    long ms = Math.max(0, millis);
    BigDecimal s = BigDecimal.valueOf(ms, 3).setScale(ms >= 10_000 ? 0 : 1, RoundingMode.HALF_UP);
    return s.stripTrailingZeros().toPlainString();
  }
}
