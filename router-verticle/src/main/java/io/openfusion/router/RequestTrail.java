package io.openfusion.router;

import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.telemetry.RequestRoute;

/**
 * What the planner decided for one request, kept for its usage report: the route it took, the recipe it ran and the
 * model a pass-through called. Written and read on the router instance's event loop only.
 */
public final class RequestTrail {

  private RequestRoute route;
  private Recipe recipe;
  private String passThroughModel;

  void route(RequestRoute route) {
    this.route = route;
  }

  void recipe(Recipe recipe) {
    this.recipe = recipe;
  }

  void passThroughModel(String model) {
    this.passThroughModel = model;
  }

  /** The route, or null when the request ended before one was chosen. */
  public RequestRoute route() {
    return route;
  }

  /** The recipe the request ran, or null when it ended before it was read. */
  public Recipe recipe() {
    return recipe;
  }

  /** The model a pass-through called first, or null. */
  public String passThroughModel() {
    return passThroughModel;
  }
}
