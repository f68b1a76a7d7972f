package io.openfusion.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * Chooses the named recipe a chat request runs, from who is calling. An embedding host supplies it; a node started
 * from the command line has none and runs its own config for everyone.
 */
@FunctionalInterface
public interface RecipeChooser {

  /**
   * @param caller  the caller id the gateway computed ({@code key:<fingerprint>} or {@code ip:<address>})
   * @param headers the request's headers
   * @return the recipe's name, or null for the node's own config; a failure fails the request with
   *     {@code recipe_unavailable}
   */
  Future<String> choose(String caller, MultiMap headers);
}
