package io.openfusion.app.cli;

import io.openfusion.shared.config.Presets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A running openfusion server ({@code --url}). The server owns the recipe and the upstream keys; the session's
 * preset and answer cap travel as the per-request {@code openfusion} override (the server must allow
 * overrides), and {@code /key} becomes the caller's runtime key ({@code POST /v1/runtime/api-key}).
 */
final class RemoteBackend extends Backend {

  private final String url;
  private JsonObject serverConfig;

  private RemoteBackend(Vertx vertx, FusionClient client, RecipeState recipe, String url) {
    super(vertx, client, recipe);
    this.url = url;
  }

  static RemoteBackend open(String url, String gatewayKey, RecipeState recipe) {
    String api = apiRoot(url);
    Vertx vertx = Vertx.vertx();
    RemoteBackend backend = new RemoteBackend(vertx, new FusionClient(vertx, api, gatewayKey), recipe, api);
    try {
      backend.serverConfig = backend.client.get("/config").await();
      backend.requireOverrides(recipe);
    } catch (ApiFailure e) {
      backend.close();
      throw CliException.error(e.getMessage() + " (" + api + ")");
    } catch (CliException e) {
      backend.close();
      throw e;
    }
    return backend;
  }

  /** {@code http://host:8000}, {@code http://host:8000/} and {@code http://host:8000/v1} all name {@code .../v1}. */
  static String apiRoot(String url) {
    String trimmed = url.strip();
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--url: not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw CliException.usage("--url: use http://host:port or https://host (got " + url + ")");
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.endsWith("/v1") ? trimmed : trimmed + "/v1";
  }

  @Override
  boolean inProcess() {
    return false;
  }

  @Override
  void apply(RecipeState next) {
    if (!Objects.equals(next.strategy(), recipe.strategy()) || !Objects.equals(next.aggregator(), recipe.aggregator())) {
      throw CliException.usage("the strategy and aggregator belong to the server at " + url
        + "; they can only be changed for the in-process engine (run without --url)");
    }
    requireOverrides(next);
    recipe = next.copy();
  }

  /** A preset or an answer cap travels as a per-request override, which the server must allow. */
  private void requireOverrides(RecipeState state) {
    boolean needed = state.preset() != null || state.maxTokens() != null;
    if (needed && !serverConfig.getBoolean("allow_request_overrides", false)) {
      throw CliException.error("the server at " + url + " does not accept per-request overrides "
        + "(allow_request_overrides: false), so --preset, --max-tokens, /preset and /tokens cannot be used with it");
    }
  }

  @Override
  RecipeView describe() {
    JsonObject c = serverConfig;
    List<String> panel = new ArrayList<>();
    String judge = c.getString("judge");
    String preset = c.getString("preset");
    String strategy = c.getString("strategy");
    if (recipe.preset() != null) {
      preset = recipe.preset();
      panel.addAll(Presets.panelModels(preset));
      judge = Presets.judgeModel(preset);
      strategy = "panel";
    } else if (c.getValue("panel") instanceof JsonArray models) {
      models.forEach(m -> panel.add(String.valueOf(m)));
    }
    return new RecipeView(preset, strategy, c.getString("aggregator"), panel, judge, recipe.maxTokens(),
      c.getString("fusion_model", "openfusion"), "server at " + url);
  }

  @Override
  String missingKey() {
    return null;
  }

  @Override
  void useKey(String key) {
    try {
      client.post("/runtime/api-key", new JsonObject().put("api_key", key)).await();
      serverConfig = client.get("/config").await();
    } catch (ApiFailure e) {
      if (e.status() == 403) {
        throw CliException.error("the server does not accept keys from clients (allow_ui_api_key is off)");
      }
      throw CliException.error(e.getMessage());
    }
  }

  @Override
  JsonObject override() {
    JsonObject override = new JsonObject();
    if (recipe.preset() != null) {
      override.put("preset", recipe.preset());
    }
    if (recipe.maxTokens() != null) {
      override.put("max_tokens", recipe.maxTokens());
    }
    return override.isEmpty() ? null : override;
  }
}
