package io.openfusion.shared.cluster;

import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A cluster-wide Hazelcast map as every openfusion store uses it: only asynchronous calls, each completed on the
 * caller's Vert.x context (Hazelcast completes on its own threads) and bounded by {@link #TIMEOUT_MS}, so a slow or
 * partitioned cluster never holds a request for long. What a store does when a call fails is its own choice; most
 * fail open through {@link FailOpen}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class SharedMap<K, V> {

  /** How long any one map operation may take before the request path gives up on it. */
  public static final long TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final Future<IMap<K, V>> map;

  private SharedMap(Vertx vertx, Future<IMap<K, V>> map) {
    this.vertx = vertx;
    this.map = map;
  }

  /** The map {@code name} of {@code hazelcast}; getting a map proxy is local and cheap. */
  public static <K, V> SharedMap<K, V> of(Vertx vertx, HazelcastInstance hazelcast, String name) {
    return new SharedMap<>(vertx, Future.succeededFuture(hazelcast.getMap(name)));
  }

  /**
   * The map {@code config.getName()} with its settings (eviction, size) added to the running cluster's config first.
   * That is a cluster-wide call that blocks, so it runs once off the event loop; operations wait for it.
   *
   * @param onConflict called when another member registered different settings for the map (theirs apply)
   */
  public static <K, V> SharedMap<K, V> configured(Vertx vertx, HazelcastInstance hazelcast, MapConfig config,
                                                  java.util.function.Consumer<RuntimeException> onConflict) {
    Future<IMap<K, V>> map = vertx.executeBlocking(() -> {
      try {
        hazelcast.getConfig().addMapConfig(config);
      } catch (RuntimeException conflict) {
        onConflict.accept(conflict);
      }
      return hazelcast.<K, V>getMap(config.getName());
    }, false);
    return new SharedMap<>(vertx, map);
  }

  /** Runs {@code processor} on the key's owner member, atomically for that key. */
  public <R> Future<R> submit(K key, EntryProcessor<K, V, R> processor) {
    return call(m -> m.submitToKey(key, processor));
  }

  public Future<V> get(K key) {
    return call(m -> m.getAsync(key));
  }

  /** Writes {@code value} with a time to live; reads do not extend it. */
  public Future<V> put(K key, V value, long ttl, TimeUnit unit) {
    return call(m -> m.putAsync(key, value, ttl, unit));
  }

  private <R> Future<R> call(java.util.function.Function<IMap<K, V>, CompletionStage<R>> operation) {
    Context context = vertx.getOrCreateContext();
    return map.compose(m -> {
      Supplier<CompletionStage<R>> started = () -> operation.apply(m);
      CompletionStage<R> stage;
      try {
        stage = started.get();
      } catch (RuntimeException e) {
        // a client that lost the cluster may throw before it returns a stage: the same failure as a late one
        return Future.failedFuture(e);
      }
      return Future.fromCompletionStage(stage, context).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    });
  }
}
