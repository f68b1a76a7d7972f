package io.openfusion.embedded;

import io.openfusion.api.RecipeChooser;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.util.Set;

/**
 * The host's {@link RecipeResolver} as the api calls it: a name that was never registered fails here, at the edge, with
 * a message naming it, rather than on the router.
 */
final class RecipeChoice implements RecipeChooser {

  private final RecipeResolver resolver;
  private final Set<String> registered;

  RecipeChoice(RecipeResolver resolver, Set<String> registered) {
    this.resolver = resolver;
    this.registered = Set.copyOf(registered);
  }

  @Override
  public Future<String> choose(String caller, MultiMap headers) {
    Future<String> chosen = resolver.resolve(new Caller(caller, headers));
    if (chosen == null) {
      return Future.failedFuture("the recipe resolver returned null instead of a future");
    }
    return chosen.compose(name -> name == null || registered.contains(name) ? Future.succeededFuture(name)
      : Future.failedFuture("the recipe resolver chose '" + name + "', which is not registered; registered: "
        + String.join(", ", registered.stream().sorted().toList())));
  }
}
