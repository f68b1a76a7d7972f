package io.openfusion.shared.limits;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.openfusion.shared.cluster.FailOpen;
import io.openfusion.shared.cluster.SharedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The cluster-wide limiter: one entry per caller and window in the IMap {@value #MAP}, keyed
 * {@code rl:<caller>:<epochMinute>}. Each request runs {@link Increment} on the key's owner member with
 * {@code submitToKey}, which is atomic per key, so N concurrent requests on any nodes admit exactly the
 * limit. The entry carries a TTL, so a window disappears by itself shortly after it ends.
 *
 * <p>It is AP like every IMap: during a split brain each side counts on its own and after the merge one
 * side's counts win, so a window may admit up to twice the limit. When the map cannot answer in
 * {@link SharedMap#TIMEOUT_MS} the request is admitted ({@link FailOpen}).
 */
public final class HazelcastRateLimiter implements RateLimiter {

  public static final String MAP = "openfusion.ratelimit";
  /** Kept after the window's end, so the last writes of a window can never resurrect a fresh count. */
  static final long TTL_SLACK_SECONDS = 5;

  private final FailOpen failOpen = new FailOpen("openfusion.limits", "rate limit window");
  private final SharedMap<String, Integer> windows;
  private final int limit;
  private final LongSupplier clock;

  public HazelcastRateLimiter(Vertx vertx, HazelcastInstance hazelcast, int limitPerMinute) {
    this(vertx, hazelcast, limitPerMinute, System::currentTimeMillis);
  }

  HazelcastRateLimiter(Vertx vertx, HazelcastInstance hazelcast, int limitPerMinute, LongSupplier clock) {
    if (limitPerMinute <= 0) {
      throw new IllegalArgumentException("limitPerMinute must be positive, got " + limitPerMinute);
    }
    this.windows = SharedMap.of(vertx, hazelcast, MAP);
    this.limit = limitPerMinute;
    this.clock = clock;
  }

  @Override
  public Future<Decision> tryAcquire(String caller) {
    long now = clock.getAsLong();
    long secondsLeft = Windows.secondsLeft(now);
    String key = Windows.key(caller, Windows.epochMinute(now));
    return windows.submit(key, new Increment(limit, secondsLeft + TTL_SLACK_SECONDS))
      .map(count -> count == null || count < 0 ? Decision.refuse(secondsLeft) : Decision.allow(limit - count))
      .recover(failure -> failOpen.recover(key, failure, "admitting the request", Decision.allow(0)));
  }

  /**
   * Runs on the key's owner member (and on its backups): counts one request while the window is below
   * the limit and stores the count with a TTL. Returns the new count, or -1 when the window is full (the
   * entry is left untouched then). Every member must have this class on its classpath.
   */
  public static final class Increment implements EntryProcessor<String, Integer, Integer> {

    private static final long serialVersionUID = 1L;

    private final int limit;
    private final long ttlSeconds;

    public Increment(int limit, long ttlSeconds) {
      this.limit = limit;
      this.ttlSeconds = ttlSeconds;
    }

    @Override
    public Integer process(Map.Entry<String, Integer> entry) {
      Integer current = entry.getValue();
      int count = current == null ? 0 : current;
      if (count >= limit) {
        return -1;
      }
      ((ExtendedMapEntry<String, Integer>) entry).setValue(count + 1, ttlSeconds, TimeUnit.SECONDS);
      return count + 1;
    }
  }
}
