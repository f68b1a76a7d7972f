package io.openfusion.router.estimate;

import io.openfusion.router.recipe.RecipeResolver;
import io.openfusion.router.RequestIntent;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/estimate} on the router: reads the request as a chat request would be read, then prices the run it
 * would make (a fusion, with the Auto Router's classifier when it would run, or one pass-through call).
 */
public final class EstimateRequests {

  private final OpenFusionConfig config;
  private final RecipeResolver recipes;
  private final Estimator estimator;

  public EstimateRequests(OpenFusionConfig config, Estimator estimator) {
    this.config = config;
    this.recipes = new RecipeResolver(config);
    this.estimator = estimator;
  }

  /** @param request {@code {"body": <chat body>, "override": <openfusion object or null>}} */
  public Future<JsonObject> estimate(JsonObject request) {
    JsonObject body = request.getJsonObject("body", new JsonObject());
    RequestIntent intent;
    try {
      intent = RequestIntent.forEstimate(config, recipes, body, request.getJsonObject("override"));
    } catch (ApiError rejected) {
      return Future.failedFuture(rejected);
    }
    if (intent.passesThrough()) {
      return estimator.passThrough(intent.recipe(), body);
    }
    return estimator.estimate(intent.recipe(), body, config.router().enabled());
  }
}
