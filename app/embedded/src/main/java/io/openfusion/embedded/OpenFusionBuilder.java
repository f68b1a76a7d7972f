package io.openfusion.embedded;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.ConfigException;
import io.openfusion.shared.config.loading.ConfigLoader;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.config.loading.RecipeParser;
import io.openfusion.shared.usage.UsageSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configures an embedded openfusion: its base config (a config file or the same tree built in code), named recipes,
 * the per-request {@link RecipeResolver} and the {@link UsageListener}. {@link #deploy()} validates everything first: a
 * bad config or recipe fails it with a {@link ConfigException} whose message starts with the key path
 * ({@code recipes.support.panel[0].base_url: required}), and nothing is deployed.
 */
public final class OpenFusionBuilder {

  private final Vertx vertx;
  private Path configFile;
  private JsonObject configTree;
  private Map<String, String> env = System.getenv();
  private final Map<String, JsonObject> recipes = new LinkedHashMap<>();
  private RecipeResolver resolver = RecipeResolver.baseRecipe();
  private UsageListener listener;
  private int instances = 1;
  private String metricsRegistry;

  OpenFusionBuilder(Vertx vertx) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
  }

  /** The base config from a file, read like {@code openfusion serve --config}. */
  public OpenFusionBuilder config(Path file) {
    this.configFile = Objects.requireNonNull(file, "file");
    this.configTree = null;
    return this;
  }

  /** The base config as the tree a config file holds ({@code {"panel": [...], "judge": {...}, "gateway": {...}}}). */
  public OpenFusionBuilder config(JsonObject tree) {
    this.configTree = Objects.requireNonNull(tree, "tree").copy();
    this.configFile = null;
    return this;
  }

  /** Environment variables for {@code ${VAR}} in the config and recipes; the process environment by default. */
  public OpenFusionBuilder env(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  /**
   * Registers a recipe a {@link RecipeResolver} may choose: the recipe keys of a config file ({@code preset},
   * {@code strategy}, {@code aggregator}, {@code panel}, {@code judge}, {@code pass_through}, {@code self_fusion},
   * {@code debate}, {@code pipeline}, {@code quorum}, {@code router}, {@code tools}, {@code expose_panel},
   * {@code analysis}, {@code cost_controls}, {@code cache}). Node settings (listener, gateway keys, limits, budgets,
   * timeouts) stay the base config's. Validated at {@link #deploy()}.
   */
  public OpenFusionBuilder recipe(String name, JsonObject recipe) {
    recipes.put(name, Objects.requireNonNull(recipe, "recipe").copy());
    return this;
  }

  /** Chooses each request's recipe; without one, every request runs the base config's. */
  public OpenFusionBuilder recipeResolver(RecipeResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    return this;
  }

  /** Receives every request's usage once it ended. */
  public OpenFusionBuilder usageListener(UsageListener listener) {
    this.listener = listener;
    return this;
  }

  /** Instances of each worker verticle (router, panel, judge); more spread the work over more event loops. */
  public OpenFusionBuilder instances(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, got " + instances);
    }
    this.instances = instances;
    return this;
  }

  /** Records openfusion's meters in the host's Vert.x Micrometer registry of this name; none by default. */
  public OpenFusionBuilder metricsRegistry(String name) {
    this.metricsRegistry = name;
    return this;
  }

  /**
   * Validates the config and every recipe, then deploys openfusion's router, panel and judge verticles into the host's
   * Vert.x instance. Mount its API afterwards with {@link OpenFusion#mount} or {@link OpenFusion#router()}.
   *
   * @return the running deployment, or a failure: a {@link ConfigException} for an invalid config or recipe
   */
  public Future<OpenFusion> deploy() {
    UsageSink usage = listener == null ? UsageSink.NONE : new UsageDispatch(vertx, listener);
    return baseConfig()
      .compose(base -> {
        try {
          return Future.succeededFuture(recipes(base));
        } catch (ConfigException invalid) {
          return Future.failedFuture(invalid);
        }
      })
      .compose(all -> WorkerDeployment.deploy(vertx, all, instances, metricsRegistry, usage)
        .map(workers -> new OpenFusion(vertx, all, workers, new RecipeChoice(resolver, all.named().keySet()), usage)));
  }

  private Future<OpenFusionConfig> baseConfig() {
    if (configFile != null) {
      return ConfigLoader.load(vertx, ConfigContext.system(configFile.toString()).withEnv(env));
    }
    if (configTree == null) {
      return Future.failedFuture(new ConfigException("config", "no base config: call config(Path) or config(JsonObject)"));
    }
    try {
      return Future.succeededFuture(ConfigParser.parse(configTree, env, OpenFusionConfig.INLINE_SOURCE));
    } catch (ConfigException invalid) {
      return Future.failedFuture(invalid);
    }
  }

  private Recipes recipes(OpenFusionConfig base) {
    Map<String, OpenFusionConfig> named = new LinkedHashMap<>();
    recipes.forEach((name, tree) -> named.put(name, RecipeParser.apply(base, name, tree, env)));
    return Recipes.of(base, named);
  }
}
