package io.openfusion.router;

import io.openfusion.router.recipe.Choices;
import io.openfusion.router.recipe.FusionPlugin;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.RecipeResolver;
import io.openfusion.router.recipe.ToolRule;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.json.JsonObject;

/**
 * What a chat request asks for before anything is decided: the recipe it would run (the server's, with its
 * {@code openfusion} object and OpenRouter's fusion plugin applied) and whether it can only pass through (another
 * model, or client tools a panel cannot run). A request that asks for fusion takes one choice ({@code n: 1}), checked
 * here so the answer never depends on the route the Auto Router picks.
 *
 * @param recipe        the recipe a fusion of this request runs
 * @param passesThrough whether the request goes to one model whatever the router thinks
 * @param target        the model a pass-through asks for; null means the configured pass-through model
 */
public record RequestIntent(Recipe recipe, boolean passesThrough, String target) {

  /**
   * Reads {@code body} (its {@code plugins} entry is removed) and {@code override}.
   *
   * @throws ApiError 400 for an invalid override or plugin, overrides when the server refuses them, or {@code n} over 1
   *     on a fused request
   */
  public static RequestIntent of(OpenFusionConfig config, RecipeResolver recipes, JsonObject body, JsonObject override) {
    return of(config, recipes, body, override, false);
  }

  /**
   * As {@link #of(OpenFusionConfig, RecipeResolver, JsonObject, JsonObject)}, but a server that refuses overrides
   * ignores them instead of refusing the request: an estimate shows what the request would cost here.
   */
  public static RequestIntent forEstimate(OpenFusionConfig config, RecipeResolver recipes, JsonObject body,
                                          JsonObject override) {
    return of(config, recipes, body, override, !config.allowRequestOverrides());
  }

  private static RequestIntent of(OpenFusionConfig config, RecipeResolver recipes, JsonObject body, JsonObject override,
                                  boolean ignoreOverrides) {
    FusionPlugin.Request plugin = FusionPlugin.read(body, config.fusionModelName());
    Recipe recipe = recipes.resolve(ignoreOverrides ? null : FusionPlugin.merge(plugin.override(), override));
    Object model = body.getValue("model");
    boolean named = config.fusionModelName().equals(model);
    boolean passesThrough = !(plugin.present() || named) || ToolRule.requiresPassThrough(body);
    if (!passesThrough) {
      Choices.requireOne(body, config.fusionModelName());
    }
    return new RequestIntent(recipe, passesThrough, named || !(model instanceof String m) ? null : m);
  }
}
