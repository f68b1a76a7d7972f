package io.openfusion.shared.limits;

import io.vertx.core.Future;

/**
 * Admits or refuses one request for a caller under {@code limits.rate_limit_per_minute}: fixed 60 s
 * windows aligned to the epoch minute, keyed {@code rl:<caller>:<epochMinute>}.
 * Implementations never block the calling event loop.
 */
public interface RateLimiter {

  /**
   * Counts one request for {@code caller} in the current window, unless the window is already full.
   *
   * @param caller {@code key:<fingerprint>} or {@code ip:<address>} (see the api's {@code GatewayAuth.caller})
   */
  Future<Decision> tryAcquire(String caller);

  /**
   * The outcome of one {@link #tryAcquire}.
   *
   * @param allowed           whether the request may proceed
   * @param retryAfterSeconds when refused: whole seconds until the window ends (at least 1); 0 when allowed
   * @param remaining         requests still admitted in this window after this one
   */
  record Decision(boolean allowed, long retryAfterSeconds, int remaining) {

    public static Decision allow(int remaining) {
      return new Decision(true, 0, Math.max(0, remaining));
    }

    public static Decision refuse(long retryAfterSeconds) {
      return new Decision(false, Math.max(1, retryAfterSeconds), 0);
    }
  }

  /** A limiter that admits everything ({@code rate_limit_per_minute: 0}). */
  static RateLimiter unlimited() {
    Future<Decision> allowed = Future.succeededFuture(new Decision(true, 0, Integer.MAX_VALUE));
    return caller -> allowed;
  }
}
