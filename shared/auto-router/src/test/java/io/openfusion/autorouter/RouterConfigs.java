package io.openfusion.autorouter;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/** Test helpers: router configs and chat bodies. */
final class RouterConfigs {

  static final UpstreamConfig PASS_THROUGH = UpstreamConfig.of("https://pt.example/v1", "kp", "pt-model");

  private RouterConfigs() {
  }

  static RouterConfig router(String mode, List<RouteModel> routeModels) {
    return router(mode, null, routeModels, RouterConfig.DEFAULT_CLASSIFIER_TIMEOUT);
  }

  static RouterConfig router(String mode, UpstreamConfig classifier, List<RouteModel> routeModels, Duration timeout) {
    return new RouterConfig(true, mode, RouterConfig.DEFAULT_MIN_CHARS, RouterConfig.DEFAULT_FUSE_KEYWORDS,
      classifier, RouterConfig.DEFAULT_CLASSIFIER_MAX_TOKENS, routeModels, timeout);
  }

  static OpenFusionConfig config(RouterConfig router) {
    return OpenFusionConfig.builder().passThrough(PASS_THROUGH).router(router).build();
  }

  static JsonObject chat(JsonObject... messages) {
    return new JsonObject().put("model", "openfusion").put("messages", new JsonArray(List.of((Object[]) messages)));
  }

  static JsonObject user(Object content) {
    return new JsonObject().put("role", "user").put("content", content);
  }

  static JsonObject assistant(String content) {
    return new JsonObject().put("role", "assistant").put("content", content);
  }

  static JsonObject system(String content) {
    return new JsonObject().put("role", "system").put("content", content);
  }

  static JsonArray parts(String... texts) {
    JsonArray parts = new JsonArray();
    for (String text : texts) {
      parts.add(new JsonObject().put("type", "text").put("text", text));
    }
    return parts;
  }

  static RouteModel route(String model, String tier) {
    return new RouteModel(model, tier, null, null);
  }
}
