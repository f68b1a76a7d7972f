package io.openfusion.shared.calls;

import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries an upstream call that was rate limited (429) or briefly unavailable (503), honouring
 * {@code Retry-After}, never past the caller's deadline and never after a cancel.
 */
public final class Retries {

  /** Retries after the first attempt. */
  public static final int MAX_RETRIES = 3;
  private static final long MAX_BACKOFF_MS = 8_000;

  private Retries() {
  }

  public static <T> Future<T> withRetries(Vertx vertx, long deadline, Future<Void> cancel, Supplier<Future<T>> attempt) {
    return attempt(vertx, deadline, cancel, attempt, 0);
  }

  // Recursion depth is bounded by MAX_RETRIES, so composing is safe here.
  private static <T> Future<T> attempt(Vertx vertx, long deadline, Future<Void> cancel, Supplier<Future<T>> attempt, int retry) {
    return attempt.get().recover(failure -> {
      long wait = retry < MAX_RETRIES ? backoff(failure, retry) : -1;
      if (wait < 0 || cancel.isComplete() || wait >= Deadlines.remaining(deadline)) {
        return Future.failedFuture(failure);
      }
      return vertx.timer(wait).compose(slept -> cancel.isComplete()
        ? Future.failedFuture(failure)
        : attempt(vertx, deadline, cancel, attempt, retry + 1));
    });
  }

  /** How long to wait before the next attempt, or -1 when the failure is not worth retrying. */
  static long backoff(Throwable failure, int retry) {
    if (!(failure instanceof UpstreamException upstream) || upstream.kind() != UpstreamException.Kind.HTTP_STATUS
      || (upstream.status() != 429 && upstream.status() != 503)) {
      return -1;
    }
    if (upstream.retryAfterMillis() >= 0) {
      return upstream.retryAfterMillis();
    }
    long exponential = (1L << (retry + 1)) * 1000 + ThreadLocalRandom.current().nextLong(1000);
    return Math.min(exponential, MAX_BACKOFF_MS);
  }
}
