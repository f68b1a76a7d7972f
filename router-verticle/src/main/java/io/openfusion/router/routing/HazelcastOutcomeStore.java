package io.openfusion.router.routing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The cluster-wide {@link OutcomeStore}: one entry per {@code <route>/<tier>} (six at most) in the IMap
 * {@value #MAP}, updated by {@link Observe} on the key's owner member, so every router node learns from
 * every node's traffic and the statistics survive a router node's restart.
 *
 * <p>Nothing here blocks an event loop: {@link #record} submits its update and returns, and
 * {@link #preferFuse} answers from a local copy of the buckets that each update and a refresh (at most
 * every {@link #REFRESH_MS}, started by a read) keep current, so a routing decision may miss the last
 * second of other nodes' outcomes. {@link #snapshotAsync} reads the map itself. The entries carry no
 * TTL: what the router learned is meant to last, and there are only six.
 */
public final class HazelcastOutcomeStore implements OutcomeStore {

  public static final String MAP = "openfusion.router.outcomes";
  static final long REFRESH_MS = 1_000;
  static final long TIMEOUT_MS = 2_000;

  private static final System.Logger LOG = System.getLogger("openfusion.router");

  private final Vertx vertx;
  private final IMap<String, double[]> map;
  private final LongSupplier clock;
  private final Map<String, OutcomeBucket> view = new ConcurrentHashMap<>();
  private final AtomicLong refreshedAt = new AtomicLong(Long.MIN_VALUE / 2);

  public HazelcastOutcomeStore(Vertx vertx, HazelcastInstance hazelcast) {
    this(vertx, hazelcast, System::currentTimeMillis);
  }

  HazelcastOutcomeStore(Vertx vertx, HazelcastInstance hazelcast, LongSupplier clock) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(MAP);
    this.clock = clock;
  }

  @Override
  public void record(String route, Tier tier, boolean success) {
    Objects.requireNonNull(tier, "tier");
    LocalOutcomeStore.checkRoute(route);
    String key = LocalOutcomeStore.key(route, tier);
    onContext(map.submitToKey(key, new Observe(success)))
      .onSuccess(stored -> remember(key, stored))
      .onFailure(failure -> LOG.log(System.Logger.Level.DEBUG, "outcome " + key + " not recorded: " + failure));
  }

  @Override
  public Boolean preferFuse(Tier tier) {
    refreshIfStale();
    return OutcomeBucket.preferFuse(view.get(LocalOutcomeStore.key(FUSION, tier)),
      view.get(LocalOutcomeStore.key(PASS_THROUGH, tier)));
  }

  @Override
  public JsonObject snapshot() {
    refreshIfStale();
    return LocalOutcomeStore.render(view);
  }

  @Override
  public Future<JsonObject> snapshotAsync() {
    return readAll().map(done -> LocalOutcomeStore.render(view));
  }

  private void refreshIfStale() {
    long now = clock.getAsLong();
    long last = refreshedAt.get();
    if (now - last >= REFRESH_MS && refreshedAt.compareAndSet(last, now)) {
      readAll().onFailure(failure -> LOG.log(System.Logger.Level.DEBUG, "outcomes not refreshed: " + failure));
    }
  }

  /** Reads the six buckets into the local copy. */
  private Future<Void> readAll() {
    List<Future<?>> reads = new ArrayList<>();
    for (String route : List.of(FUSION, PASS_THROUGH)) {
      for (Tier tier : Tier.values()) {
        String key = LocalOutcomeStore.key(route, tier);
        reads.add(onContext(map.getAsync(key)).onSuccess(stored -> remember(key, stored)));
      }
    }
    return Future.all(reads).mapEmpty();
  }

  private void remember(String key, double[] stored) {
    OutcomeBucket bucket = Observe.bucket(stored);
    if (bucket != null) {
      view.put(key, bucket);
    }
  }

  private <T> Future<T> onContext(java.util.concurrent.CompletionStage<T> stage) {
    Context context = vertx.getOrCreateContext();
    return Future.fromCompletionStage(stage, context).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs on the key's owner member: one observation into the bucket's moving average. The bucket is a
   * {@code double[] {ema, count}}, so no class of ours has to be deserialized to read it. Every member
   * must have this class on its classpath.
   */
  public static final class Observe implements EntryProcessor<String, double[], double[]> {

    private static final long serialVersionUID = 1L;

    private final boolean success;

    public Observe(boolean success) {
      this.success = success;
    }

    @Override
    public double[] process(Map.Entry<String, double[]> entry) {
      OutcomeBucket current = bucket(entry.getValue());
      OutcomeBucket next = (current == null ? OutcomeBucket.initial() : current).observe(success);
      double[] stored = {next.ema(), next.count()};
      entry.setValue(stored);
      return stored;
    }

    static OutcomeBucket bucket(double[] stored) {
      return stored == null || stored.length != 2 ? null : new OutcomeBucket(stored[0], (long) stored[1]);
    }
  }
}
