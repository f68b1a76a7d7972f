package io.openfusion.router.cache;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory {@link ResponseCache} for one node: entries expire once older than the TTL (reads do
 * not extend it), and past {@code maxEntries} the least recently used entry is evicted (reads count
 * as use).
 *
 * <p>One instance may be shared by every router verticle instance of a node. Each operation holds a
 * plain monitor for one O(1) map operation only; the JSON copies are made outside it.
 */
public final class LocalResponseCache implements ResponseCache {

  private final long ttlMillis;
  private final Clock clock;
  /** Access-ordered, so iteration starts at the least recently used entry. Guarded by itself. */
  private final LinkedHashMap<String, Entry> entries;

  /**
   * @param maxEntries capacity, at least 1
   * @param ttl        entry lifetime, positive
   * @param clock      time source (a fake one in tests)
   */
  public LocalResponseCache(int maxEntries, Duration ttl, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    this.ttlMillis = ttl.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public Future<JsonObject> get(String key) {
    if (key == null) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    Entry entry;
    synchronized (entries) {
      entry = entries.get(key);
      if (entry != null && now - entry.storedAt() > ttlMillis) {
        entries.remove(key);
        entry = null;
      }
    }
    // The stored copy is never mutated, so copying it outside the lock is safe; the caller gets its
    // own copy because replay code decorates what it reads.
    return Future.succeededFuture(entry == null ? null : entry.value().copy());
  }

  @Override
  public Future<Void> put(String key, JsonObject value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value are required"));
    }
    Entry entry = new Entry(value.copy(), clock.millis());
    synchronized (entries) {
      entries.put(key, entry);
    }
    return Future.succeededFuture();
  }

  /** @return the number of entries held, expired ones not yet evicted included */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private record Entry(JsonObject value, long storedAt) {
  }
}
