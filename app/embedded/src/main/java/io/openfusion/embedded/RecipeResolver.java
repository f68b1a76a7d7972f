package io.openfusion.embedded;

import io.vertx.core.Future;

import java.util.Map;

/**
 * Chooses, per request, which recipe a caller runs: one of the recipes registered with
 * {@link OpenFusionBuilder#recipe}, or the base config's (a null name).
 *
 * <p>It runs in the api, on the event loop that serves the request, before the request goes on the event bus: it must
 * not block (do slow lookups asynchronously and return their future). The chosen recipe travels on the bus by name
 * only, so provider URLs and keys never leave the JVM that registered them. A resolver that throws, fails its future,
 * or names a recipe that was never registered fails the request with HTTP 500 and the OpenAI error code
 * {@code recipe_unavailable}; the caller never sees a stack trace.
 */
@FunctionalInterface
public interface RecipeResolver {

  /**
   * @param caller who is asking
   * @return the registered recipe's name, or null for the base config's recipe
   */
  Future<String> resolve(Caller caller);

  /** Every caller runs the base config's recipe. */
  static RecipeResolver baseRecipe() {
    return caller -> Future.succeededFuture();
  }

  /**
   * A fixed table from caller id to recipe name; callers not in it run {@code fallback} (null: the base recipe).
   *
   * @param byCallerId recipe names by {@link Caller#id()}, e.g. keyed by {@link Caller#idOfGatewayKey}
   */
  static RecipeResolver byCallerId(Map<String, String> byCallerId, String fallback) {
    Map<String, String> table = Map.copyOf(byCallerId);
    return caller -> Future.succeededFuture(table.getOrDefault(caller.id(), fallback));
  }
}
