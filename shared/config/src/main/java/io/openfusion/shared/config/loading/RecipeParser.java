package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A named recipe an embedding host registers next to its config: the recipe keys of a config file (panel, judge,
 * strategy...), validated exactly like the file, and applied on top of the base config. Node settings (listener,
 * cluster, gateway keys, limits, budgets, timeouts, workers) stay the base config's: one node, one set of them.
 *
 * <p>Every problem is a {@link ConfigException} whose key path starts with {@code recipes.<name>.}, e.g.
 * {@code recipes.tenant-b.panel[1].base_url: required}.
 */
public final class RecipeParser {

  /** The top-level keys a recipe may set. */
  public static final List<String> RECIPE_KEYS = List.of("preset", "strategy", "aggregator", "panel", "judge",
    "pass_through", "self_fusion", "debate", "pipeline", "quorum", "router", "tools", "expose_panel", "analysis",
    "cost_controls", "cache");

  private RecipeParser() {
  }

  /**
   * @param base   the node's config
   * @param name   the recipe's name, as the host's resolver returns it
   * @param recipe the recipe as a config-file tree (from YAML or built in code); not modified
   * @param env    environment variables for {@code ${VAR}} interpolation and the presets' OpenRouter key
   * @return the base config with the recipe applied
   * @throws ConfigException on the first invalid value, its key path under {@code recipes.<name>}
   */
  public static OpenFusionConfig apply(OpenFusionConfig base, String name, JsonObject recipe, Map<String, String> env) {
    if (name == null || name.isBlank() || !name.equals(name.strip())) {
      throw new ConfigException("recipes", "a recipe needs a name without surrounding spaces, got '" + name + "'");
    }
    String prefix = "recipes." + name;
    if (recipe == null) {
      throw new ConfigException(prefix, "is empty; give it at least a panel (or a preset)");
    }
    for (String key : recipe.fieldNames()) {
      if (!RECIPE_KEYS.contains(key)) {
        throw new ConfigException(prefix + "." + key, "is not a recipe key (a recipe takes "
          + String.join(", ", new TreeSet<>(RECIPE_KEYS)) + "); node settings come from the base config");
      }
    }
    OpenFusionConfig parsed;
    try {
      parsed = ConfigParser.parse(recipe, env, prefix);
    } catch (ConfigException invalid) {
      throw new ConfigException(prefix + "." + invalid.keyPath(), invalid.problem(), invalid);
    }
    return base.toBuilder()
      .preset(parsed.preset())
      .strategy(parsed.strategy())
      .aggregator(parsed.aggregator())
      .panel(parsed.panel())
      .judge(parsed.judge())
      .passThrough(parsed.passThrough())
      .selfFusion(parsed.selfFusion())
      .debate(parsed.debate())
      .pipeline(parsed.pipeline())
      .quorum(parsed.quorum())
      .router(parsed.router())
      .tools(parsed.tools())
      .exposePanel(parsed.exposePanel())
      .emitAnalysis(parsed.emitAnalysis())
      .costControls(parsed.costControls())
      .promptCache(parsed.promptCache())
      .build();
  }
}
