package io.openfusion.autorouter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Success statistics per route and tier, used to nudge short prompts toward fusion when fusion has
 * clearly been more reliable than a single model for that tier.
 *
 * <p>"Success" means the request ended without an error, so this measures availability, not answer
 * quality.
 */
public interface OutcomeStore {

  /** Route name of fused requests. */
  String FUSION = "fusion";
  /** Route name of single-model requests. */
  String PASS_THROUGH = "pass_through";

  /**
   * Adds one observation.
   *
   * @param route   {@link #FUSION} or {@link #PASS_THROUGH}
   * @param tier    the prompt tier of the request
   * @param success true when the request ended without an error
   */
  void record(String route, Tier tier, boolean success);

  /**
   * @return TRUE when fusion has been clearly more reliable than a single model for this tier, FALSE when
   *     clearly less, null when either side has too few observations or the gap is too small
   */
  Boolean preferFuse(Tier tier);

  /**
   * @return {@code {"outcomes":{"fusion/fast":{"ema":0.5244,"count":12},...}}}: keys {@code <route>/<tier>} sorted,
   *     ema rounded to 4 decimal places; only buckets that have been recorded appear
   */
  JsonObject snapshot();

  /**
   * The same as {@link #snapshot()}, read from wherever the store keeps its statistics: a cluster-wide
   * store answers with what every node has recorded, not with its local copy.
   */
  default Future<JsonObject> snapshotAsync() {
    return Future.succeededFuture(snapshot());
  }
}
