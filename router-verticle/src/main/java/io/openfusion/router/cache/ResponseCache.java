package io.openfusion.router.cache;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Stores finished fused answers by {@link ResponseCacheKey}, so an identical request is replayed
 * instead of paying for the panel and the judge again.
 *
 * <p>Callers must only {@link #put} an answer that completed cleanly: the judge finished with no
 * error chunk, no cancellation, no client disconnect and no timeout. A partial answer must never
 * be stored, because every later identical request would be served the truncated text.
 *
 * <p>Implementations may be local to a node or cluster-wide; both operations are asynchronous so a
 * remote store fits the same contract.
 */
public interface ResponseCache {

  /**
   * @param key a {@link ResponseCacheKey}
   * @return the stored value, or a {@code null} result on a miss (absent or expired)
   */
  Future<JsonObject> get(String key);

  /**
   * @param key   a {@link ResponseCacheKey}
   * @param value the completed answer, typically {@code {"content", "usage", "analysis"}}; the
   *              cache keeps its own copy
   */
  Future<Void> put(String key, JsonObject value);
}
