package io.openfusion.router.cache;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The cluster-wide {@link ResponseCache}: answers in the IMap {@value #MAP} as JSON text, each written
 * with the TTL (reads do not extend it), so any router node replays an answer another node stored.
 * The size bound is Hazelcast's LRU eviction at about {@code maxEntries} per member; Hazelcast applies it
 * per partition, so it is approximate where the local cache's is exact.
 *
 * <p>The map's eviction settings are added to the running cluster's config once, off the event loop;
 * until that is done, operations wait for it. A failed read is a miss and a failed write is dropped (both
 * logged): the cache only ever saves work, it never fails a request.
 */
public final class HazelcastResponseCache implements ResponseCache {

  public static final String MAP = "openfusion.response-cache";
  static final long TIMEOUT_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastResponseCache.class);

  private final Vertx vertx;
  private final long ttlMillis;
  private final Future<IMap<String, String>> map;

  /**
   * @param maxEntries about how many answers each member keeps, at least 1
   * @param ttl        entry lifetime, positive
   */
  public HazelcastResponseCache(Vertx vertx, HazelcastInstance hazelcast, int maxEntries, Duration ttl) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    this.vertx = vertx;
    this.ttlMillis = ttl.toMillis();
    // adding a map config is a cluster-wide call that blocks: keep it off the event loop, once
    this.map = vertx.executeBlocking(() -> {
      configure(hazelcast, maxEntries);
      return hazelcast.getMap(MAP);
    }, false);
  }

  private static void configure(HazelcastInstance hazelcast, int maxEntries) {
    MapConfig config = new MapConfig(MAP).setEvictionConfig(new EvictionConfig()
      .setEvictionPolicy(EvictionPolicy.LRU)
      .setMaxSizePolicy(MaxSizePolicy.PER_NODE)
      .setSize(maxEntries));
    try {
      hazelcast.getConfig().addMapConfig(config);
    } catch (RuntimeException conflict) {
      // another member registered different settings (its response_cache.max_entries differs): use theirs
      LOG.warn("response cache map settings not applied ({}); every node should load the same config",
        conflict.getMessage());
    }
  }

  @Override
  public Future<JsonObject> get(String key) {
    if (key == null) {
      return Future.succeededFuture();
    }
    Context context = vertx.getOrCreateContext();
    return map.compose(m -> on(context, m.getAsync(key)))
      .map(text -> text == null ? null : new JsonObject(text))
      .recover(failure -> {
        LOG.warn("response cache read failed, treating it as a miss: {}", failure.toString());
        return Future.succeededFuture();
      });
  }

  @Override
  public Future<Void> put(String key, JsonObject value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value are required"));
    }
    Context context = vertx.getOrCreateContext();
    String text = value.encode();
    return map.compose(m -> on(context, m.putAsync(key, text, ttlMillis, TimeUnit.MILLISECONDS)))
      .<Void>mapEmpty()
      .recover(failure -> {
        LOG.warn("response cache write dropped: {}", failure.toString());
        return Future.succeededFuture();
      });
  }

  private static <T> Future<T> on(Context context, CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, context).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
