package io.openfusion.shared.cluster;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The policy of every cluster-wide store on the request path: when the cluster cannot answer in time, the request goes
 * on without it (admitted unlimited, unaccounted, uncached) rather than failing, and the operator hears about it.
 * While the cluster is down that happens on every request, so the warning is written at most once per
 * {@link #WARNING_INTERVAL_MS} per store, saying how many requests went on without it since the last one.
 */
public final class FailOpen {

  static final long WARNING_INTERVAL_MS = 30_000;

  private final Logger log;
  private final String store;
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

  /**
   * @param store names the store in the warning, e.g. "rate limit window"
   */
  public FailOpen(String loggerName, String store) {
    this.log = LoggerFactory.getLogger(loggerName);
    this.store = store;
  }

  /**
   * Notes the failure and goes on with {@code fallback}.
   *
   * @param consequence what the request does without the store, e.g. "admitting the request"
   */
  public <T> Future<T> recover(String key, Throwable failure, String consequence, T fallback) {
    long others = warnAt(System.nanoTime());
    if (others >= 0) {
      log.warn("{} {} unavailable, {}: {}{}", store, key, consequence, failure,
        others > 0 ? " (and " + others + " more since the last warning)" : "");
    }
    return Future.succeededFuture(fallback);
  }

  /** @return -1 when this failure is only counted, else how many were counted since the last warning */
  long warnAt(long nowNanos) {
    long last = lastWarning.get();
    if (nowNanos - last >= TimeUnit.MILLISECONDS.toNanos(WARNING_INTERVAL_MS) && lastWarning.compareAndSet(last, nowNanos)) {
      return suppressed.getAndSet(0);
    }
    suppressed.incrementAndGet();
    return -1;
  }
}
