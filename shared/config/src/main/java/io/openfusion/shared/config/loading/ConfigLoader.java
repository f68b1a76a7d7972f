package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Strategy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Finds, reads, interpolates and validates the configuration.
 *
 * <p>Lookup order: {@code ctx.explicitPath()} ({@code --config}), then env
 * {@code OPENFUSION_CONFIG}, then {@code <workingDir>/openfusion.yaml}. Only a missing
 * <em>default</em> file falls back to {@link #zeroConfig zero-config}; a file the user named and
 * that is missing is an error: booting zero-config for a mistyped {@code OPENFUSION_CONFIG} is how an
 * open gateway would end up in production.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /**
   * Loads the configuration. The file is read by vertx-config; parsing and the credentials lookup
   * run on a worker thread, so this is safe to call from an event loop.
   *
   * @return the config, or a failure carrying a {@link ConfigException}
   */
  public static Future<OpenFusionConfig> load(Vertx vertx, ConfigContext ctx) {
    ConfigFileLocator.Candidate candidate = ConfigFileLocator.locate(ctx);
    String path = candidate.path().toString();
    return vertx.fileSystem().exists(path).compose(exists -> {
      if (exists) {
        return YamlFileReader.read(vertx, candidate.path())
            .compose(raw -> vertx.executeBlocking(() -> parseFile(raw, ctx, path)));
      }
      if (candidate.named()) {
        return Future.failedFuture(ConfigFileLocator.missing(candidate));
      }
      return vertx.executeBlocking(() -> zeroConfig(ctx));
    });
  }

  /**
   * The built-in recipe used when there is no {@code openfusion.yaml}: the budget preset as a
   * panel with a judge, web tools on, 1024-token ceilings that a request may raise to 8192 (the user
   * is the operator here, so the playground's longer lengths work), and the UI key entry and request
   * overrides enabled so the playground works out of the box. The OpenRouter key comes from
   * {@code OPENROUTER_API_KEY}, else the saved credentials, else {@code ""} (the server then asks
   * for one). {@code OPENFUSION_API_KEYS}, {@code OPENFUSION_HOST} and {@code OPENFUSION_PORT}
   * apply as they do with a file.
   *
   * <p>Blocking: may read the credentials file. Call from startup code or a worker.
   */
  public static OpenFusionConfig zeroConfig(ConfigContext ctx) {
    JsonObject raw = new JsonObject()
        .put("preset", Presets.BUDGET)
        .put("strategy", Strategy.PANEL.wire())
        .put("aggregator", Aggregator.JUDGE.wire())
        .put("allow_ui_api_key", true)
        .put("allow_request_overrides", true)
        .put("tools", new JsonObject().put("web_search", true).put("web_fetch", true))
        .put("cost_controls", new JsonObject()
            .put("pass_through_max_tokens", 1024)
            .put("panel_max_tokens", 1024)
            .put("judge_max_tokens", 1024)
            .put("max_override_tokens", CostControls.ZERO_CONFIG_MAX_OVERRIDE_TOKENS));
    return ConfigParser.parse(raw, ctx.env(), OpenFusionConfig.ZERO_CONFIG_SOURCE, () -> Credentials.load(ctx));
  }

  private static OpenFusionConfig parseFile(JsonObject raw, ConfigContext ctx, String path) {
    return ConfigParser.parse(raw, ctx.env(), path, () -> Credentials.load(ctx));
  }
}
