package io.openfusion.shared.limits;

import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The single-node limiter: one counter per caller for the current epoch minute, in a map bounded to
 * {@link #MAX_CALLERS} callers (least recently used evicted first). Shared by every api instance of a
 * node; each call holds a monitor for a few map operations only, so it never blocks an event loop.
 */
public final class LocalRateLimiter implements RateLimiter {

  /** The most callers tracked at once; the least recently seen caller is forgotten beyond it. */
  public static final int MAX_CALLERS = 10_000;

  private final int limit;
  private final LongSupplier clock;
  private final int maxCallers;
  private final Map<String, Window> windows;

  public LocalRateLimiter(int limitPerMinute) {
    this(limitPerMinute, System::currentTimeMillis, MAX_CALLERS);
  }

  /** For tests: an explicit clock (epoch milliseconds) and bound. */
  public LocalRateLimiter(int limitPerMinute, LongSupplier clock, int maxCallers) {
    if (limitPerMinute <= 0) {
      throw new IllegalArgumentException("limitPerMinute must be positive, got " + limitPerMinute);
    }
    if (maxCallers <= 0) {
      throw new IllegalArgumentException("maxCallers must be positive, got " + maxCallers);
    }
    this.limit = limitPerMinute;
    this.clock = clock;
    this.maxCallers = maxCallers;
    this.windows = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
        return size() > LocalRateLimiter.this.maxCallers;
      }
    };
  }

  @Override
  public Future<Decision> tryAcquire(String caller) {
    return Future.succeededFuture(decide(caller));
  }

  /** The synchronous decision behind {@link #tryAcquire}. */
  public Decision decide(String caller) {
    long now = clock.getAsLong();
    long minute = Windows.epochMinute(now);
    synchronized (windows) {
      Window window = windows.get(caller);
      if (window == null || window.minute != minute) {
        window = new Window(minute);
        windows.put(caller, window);
      }
      if (window.count >= limit) {
        return Decision.refuse(Windows.secondsLeft(now));
      }
      window.count++;
      return Decision.allow(limit - window.count);
    }
  }

  /** How many callers are tracked now (for tests and metrics). */
  public int trackedCallers() {
    synchronized (windows) {
      return windows.size();
    }
  }

  private static final class Window {
    final long minute;
    int count;

    Window(long minute) {
      this.minute = minute;
    }
  }
}
