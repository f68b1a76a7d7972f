package io.openfusion.autorouter;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import io.openfusion.shared.cluster.SharedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The cluster-wide {@link OutcomeStore}: one entry per {@code <route>/<tier>} (six at most) in the IMap
 * {@value #MAP}, updated by {@link Observe} on the key's owner member, so every router node learns from
 * every node's traffic and the statistics survive a router node's restart.
 *
 * <p>Nothing here blocks an event loop or writes to the cluster per request: {@link #record} only appends
 * the outcome to this node's pending list for its bucket, and every {@link #FLUSH_MS} the pending outcomes
 * of each bucket go to the map in one {@link Observe} (so the cluster sees at most six writes a second per
 * node, whatever the request rate). {@link #preferFuse} answers from a local copy of the buckets that each
 * flush and a refresh (at most every {@link #REFRESH_MS}, started by a read) keep current, so a routing
 * decision may miss the last second or two of outcomes. {@link #snapshotAsync} reads the map itself. The entries carry no
 * TTL: what the router learned is meant to last, and there are only six.
 */
public final class HazelcastOutcomeStore implements OutcomeStore {

  public static final String MAP = "openfusion.router.outcomes";
  static final long REFRESH_MS = 1_000;
  static final long FLUSH_MS = 1_000;
  /** Outcomes kept per bucket between flushes; older ones weigh almost nothing in the average anyway. */
  static final int MAX_PENDING = 4_096;

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastOutcomeStore.class);

  private final SharedMap<String, double[]> map;
  private final LongSupplier clock;
  private final Map<String, OutcomeBucket> view = new ConcurrentHashMap<>();
  private final AtomicLong refreshedAt = new AtomicLong(Long.MIN_VALUE / 2);
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  public HazelcastOutcomeStore(Vertx vertx, HazelcastInstance hazelcast) {
    this(vertx, hazelcast, System::currentTimeMillis);
  }

  HazelcastOutcomeStore(Vertx vertx, HazelcastInstance hazelcast, LongSupplier clock) {
    this.map = SharedMap.of(vertx, hazelcast, MAP);
    this.clock = clock;
    vertx.setPeriodic(FLUSH_MS, id -> flush());
  }

  @Override
  public void record(String route, Tier tier, boolean success) {
    Objects.requireNonNull(tier, "tier");
    LocalOutcomeStore.checkRoute(route);
    pending.computeIfAbsent(LocalOutcomeStore.key(route, tier), key -> new Pending()).add(success);
  }

  /** Sends each bucket's outcomes since the last flush, in the order they were recorded, as one update. */
  void flush() {
    pending.forEach((key, outcomes) -> {
      boolean[] batch = outcomes.drain();
      if (batch.length == 0) {
        return;
      }
      map.submit(key, new Observe(batch))
        .onSuccess(stored -> remember(key, stored))
        .onFailure(failure -> LOG.debug("outcomes {} not recorded: {}", key, failure.toString()));
    });
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
      readAll().onFailure(failure -> LOG.debug("outcomes not refreshed: {}", failure.toString()));
    }
  }

  /** Reads the six buckets into the local copy. */
  private Future<Void> readAll() {
    List<Future<?>> reads = new ArrayList<>();
    for (String route : List.of(FUSION, PASS_THROUGH)) {
      for (Tier tier : Tier.values()) {
        String key = LocalOutcomeStore.key(route, tier);
        reads.add(map.get(key).onSuccess(stored -> remember(key, stored)));
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

  /**
   * Runs on the key's owner member: a batch of observations, in order, into the bucket's moving average. The bucket is a
   * {@code double[] {ema, count}}, so no class of ours has to be deserialized to read it. Every member
   * must have this class on its classpath.
   */
  public static final class Observe implements EntryProcessor<String, double[], double[]> {

    private static final long serialVersionUID = 1L;

    private final boolean[] outcomes;

    public Observe(boolean[] outcomes) {
      this.outcomes = outcomes.clone();
    }

    @Override
    public double[] process(Map.Entry<String, double[]> entry) {
      OutcomeBucket current = bucket(entry.getValue());
      OutcomeBucket next = current == null ? OutcomeBucket.initial() : current;
      for (boolean success : outcomes) {
        next = next.observe(success);
      }
      double[] stored = {next.ema(), next.count()};
      entry.setValue(stored);
      return stored;
    }

    static OutcomeBucket bucket(double[] stored) {
      return stored == null || stored.length != 2 ? null : new OutcomeBucket(stored[0], (long) stored[1]);
    }
  }

  /** One bucket's outcomes since the last flush; router instances on several event loops append at once. */
  private static final class Pending {
    private final ArrayDeque<Boolean> outcomes = new ArrayDeque<>();

    synchronized void add(boolean success) {
      if (outcomes.size() == MAX_PENDING) {
        outcomes.removeFirst();
      }
      outcomes.addLast(success);
    }

    synchronized boolean[] drain() {
      boolean[] batch = new boolean[outcomes.size()];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = outcomes.removeFirst();
      }
      return batch;
    }
  }
}
