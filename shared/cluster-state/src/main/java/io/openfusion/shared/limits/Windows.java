package io.openfusion.shared.limits;

/** Fixed one-minute windows aligned to the epoch minute. */
final class Windows {

  static final long WINDOW_MS = 60_000;

  private Windows() {
  }

  static long epochMinute(long nowMs) {
    return Math.floorDiv(nowMs, WINDOW_MS);
  }

  /** Whole seconds until the window holding {@code nowMs} ends, rounded up, at least 1. */
  static long secondsLeft(long nowMs) {
    long leftMs = (epochMinute(nowMs) + 1) * WINDOW_MS - nowMs;
    return Math.max(1, (leftMs + 999) / 1000);
  }

  static String key(String caller, long epochMinute) {
    return "rl:" + caller + ":" + epochMinute;
  }
}
