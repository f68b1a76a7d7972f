package io.openfusion.autorouter;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An in-memory {@link OutcomeStore} for <b>one node</b>: every router node learns from its own traffic
 * only, and the statistics reset on restart.
 *
 * <p>One store serves every router instance of a node, so its methods are synchronized; each call is
 * a few arithmetic operations, so the lock is never held long.
 */
public final class LocalOutcomeStore implements OutcomeStore {

  /** Sorted so snapshots list keys in a stable order. */
  private final Map<String, OutcomeBucket> buckets = new TreeMap<>();

  public LocalOutcomeStore() {
  }

  @Override
  public synchronized void record(String route, Tier tier, boolean success) {
    Objects.requireNonNull(tier, "tier");
    checkRoute(route);
    buckets.compute(key(route, tier),
      (k, bucket) -> (bucket == null ? OutcomeBucket.initial() : bucket).observe(success));
  }

  @Override
  public synchronized Boolean preferFuse(Tier tier) {
    return OutcomeBucket.preferFuse(buckets.get(key(FUSION, tier)), buckets.get(key(PASS_THROUGH, tier)));
  }

  @Override
  public synchronized JsonObject snapshot() {
    return render(buckets);
  }

  /** The {@link #snapshot()} shape of {@code buckets}, keyed {@code <route>/<tier>}, in key order. */
  static JsonObject render(Map<String, OutcomeBucket> buckets) {
    JsonObject outcomes = new JsonObject();
    new TreeMap<>(buckets).forEach((key, bucket) -> outcomes.put(key, new JsonObject()
      .put("ema", round4(bucket.ema()))
      .put("count", bucket.count())));
    return new JsonObject().put("outcomes", outcomes);
  }

  static String key(String route, Tier tier) {
    return route + "/" + tier.wire();
  }

  /** A fixed key set keeps the snapshot (and any metrics built on it) bounded. */
  static void checkRoute(String route) {
    if (!FUSION.equals(route) && !PASS_THROUGH.equals(route)) {
      throw new IllegalArgumentException("route must be " + FUSION + " or " + PASS_THROUGH + ", got " + route);
    }
  }

  private static double round4(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
  }
}
