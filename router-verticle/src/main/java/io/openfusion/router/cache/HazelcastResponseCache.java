package io.openfusion.router.cache;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import io.openfusion.shared.cluster.FailOpen;
import io.openfusion.shared.cluster.SharedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastResponseCache.class);

  private final FailOpen failOpen = new FailOpen("openfusion.router", "response cache");
  private final long ttlMillis;
  private final SharedMap<String, String> map;

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
    this.ttlMillis = ttl.toMillis();
    MapConfig config = new MapConfig(MAP).setEvictionConfig(new EvictionConfig()
      .setEvictionPolicy(EvictionPolicy.LRU)
      .setMaxSizePolicy(MaxSizePolicy.PER_NODE)
      .setSize(maxEntries));
    // another member registered different settings (its response_cache.max_entries differs): theirs apply
    this.map = SharedMap.configured(vertx, hazelcast, config, conflict -> LOG.warn(
      "response cache map settings not applied ({}); every node should load the same config", conflict.getMessage()));
  }

  @Override
  public Future<JsonObject> get(String key) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return map.get(key)
      .map(text -> text == null ? null : new JsonObject(text))
      .recover(failure -> failOpen.recover("read", failure, "treating it as a miss", null));
  }

  @Override
  public Future<Void> put(String key, JsonObject value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value are required"));
    }
    return map.put(key, value.encode(), ttlMillis, TimeUnit.MILLISECONDS)
      .<Void>mapEmpty()
      .recover(failure -> failOpen.recover("write", failure, "dropping the entry", null));
  }
}
