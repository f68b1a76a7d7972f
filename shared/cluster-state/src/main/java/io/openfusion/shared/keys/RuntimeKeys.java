package io.openfusion.shared.keys;

import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.concurrent.TimeUnit;

/**
 * Upstream keys entered in the playground, per caller. They only fill upstreams the config left
 * without a key, and live in memory only: a Vert.x async map, which is node-local when running alone
 * and a Hazelcast map shared by every node when clustered, so whichever node runs a panel call finds
 * the key. Entries expire, which bounds the map without any clean-up job.
 */
public final class RuntimeKeys {

  static final String MAP = "openfusion.runtime-keys";
  /** How long an entered key stays usable without being entered again. */
  public static final long TTL_HOURS = 12;

  private final Vertx vertx;

  public RuntimeKeys(Vertx vertx) {
    this.vertx = vertx;
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /** The caller's key, or null. */
  public Future<String> get(String caller) {
    if (caller == null) {
      return Future.succeededFuture(null);
    }
    return map().compose(map -> map.get(caller));
  }

  public Future<Void> set(String caller, String key) {
    return map().compose(map -> map.put(caller, key, TimeUnit.HOURS.toMillis(TTL_HOURS)));
  }

  public Future<Void> clear(String caller) {
    return map().compose(map -> map.remove(caller)).mapEmpty();
  }

  /** {@code upstream} with the caller's key when the config gave it none. */
  public Future<UpstreamConfig> fill(UpstreamConfig upstream, String caller) {
    if (upstream == null || upstream.hasKey()) {
      return Future.succeededFuture(upstream);
    }
    return get(caller).map(key -> key == null || key.isBlank() ? upstream : upstream.withApiKey(key));
  }
}
