package io.openfusion.router.recipe;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenRouter's fusion plugin, {@code plugins: [{"id": "fusion", "analysis_models": [...], "model": judge}]},
 * read as the equivalent {@code openfusion} override, so OpenRouter users switch by changing the base URL.
 */
public final class FusionPlugin {

  /**
   * @param present  whether the request asked for fusion through the plugin
   * @param override the equivalent {@code openfusion} object, or null when the plugin names no models
   */
  public record Request(boolean present, JsonObject override) {
  }

  private FusionPlugin() {
  }

  /** Reads and removes {@code plugins} from {@code body}; {@code fusionModel} is the server's fusion name. */
  public static Request read(JsonObject body, String fusionModel) {
    Object plugins = body.remove("plugins");
    if (plugins == null) {
      return new Request(false, null);
    }
    if (!(plugins instanceof JsonArray list)) {
      throw ApiError.of(ErrorCode.INVALID_PARAMETER, "plugins must be an array");
    }
    JsonObject fusion = null;
    for (Object plugin : list) {
      if (plugin instanceof JsonObject p && "fusion".equals(p.getValue("id"))) {
        fusion = p;
      }
    }
    if (fusion == null) {
      return new Request(false, null);
    }
    JsonObject override = new JsonObject();
    Object models = fusion.getValue("analysis_models");
    if (models != null) {
      if (!(models instanceof JsonArray)) {
        throw ApiError.of(ErrorCode.INVALID_OVERRIDE, "plugins[fusion].analysis_models must be an array of model ids");
      }
      override.put("panel", models);
    }
    Object judge = fusion.getValue("model");
    String requested = body.getValue("model") instanceof String m ? m : null;
    if (judge instanceof String j && !j.isBlank()) {
      override.put("judge", j);
    } else if (judge != null) {
      throw ApiError.of(ErrorCode.INVALID_OVERRIDE, "plugins[fusion].model must be a model id");
    } else if (requested != null && !requested.equals(fusionModel)) {
      // on OpenRouter the request's own model writes the final answer
      override.put("judge", requested);
    }
    if (fusion.getValue("max_completion_tokens") instanceof Number n) {
      override.put("max_tokens", n.intValue());
    }
    return new Request(true, override.isEmpty() ? null : override);
  }

  /** Combines a plugin override with an explicit {@code openfusion} object; explicit fields win. */
  public static JsonObject merge(JsonObject plugin, JsonObject explicit) {
    if (plugin == null) {
      return explicit;
    }
    if (explicit == null) {
      return plugin;
    }
    return plugin.copy().mergeIn(explicit);
  }
}
