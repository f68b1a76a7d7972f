package io.openfusion.api.info;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the server tells clients about itself: {@code /v1/models} and {@code /v1/config}. Never a key or URL. */
public final class ServerInfo {

  private final OpenFusionConfig config;

  public ServerInfo(OpenFusionConfig config) {
    this.config = config;
  }

  /** The fusion model, the pass-through model, then the panel's models, each listed once. */
  public JsonObject models() {
    Map<String, String> owners = new LinkedHashMap<>();
    owners.put(config.fusionModelName(), "openfusion");
    UpstreamConfig passThrough = config.passThroughResolved();
    if (passThrough != null) {
      owners.putIfAbsent(passThrough.model(), "pass-through");
    }
    config.panel().forEach(member -> owners.putIfAbsent(member.model(), "panel"));
    JsonArray data = new JsonArray();
    owners.forEach((id, owner) -> data.add(new JsonObject().put("id", id).put("object", "model").put("created", 0)
      .put("owned_by", owner)));
    return new JsonObject().put("object", "list").put("data", data);
  }

  /** The playground's bootstrap: the active recipe and onboarding flags. */
  public JsonObject config() {
    JsonArray panel = new JsonArray();
    config.panel().forEach(member -> panel.add(member.model()));
    return new JsonObject()
      .put("preset", config.preset())
      .put("strategy", config.strategy().wire())
      .put("aggregator", config.aggregator().wire())
      .put("panel", panel)
      .put("judge", config.judge() == null ? null : config.judge().upstream().model())
      .put("tools", new JsonObject().put("web_search", config.tools().webSearch()).put("web_fetch", config.tools().webFetch()))
      .put("allow_request_overrides", config.allowRequestOverrides())
      // the largest openfusion.max_tokens that has an effect here (null: no ceiling), so a UI offers no useless lengths
      .put("max_override_tokens", config.costControls().overrideCap())
      .put("allow_ui_api_key", config.allowUiApiKey())
      .put("needs_api_key", config.anyUpstreamKeyMissing())
      .put("api_key_set", false)
      .put("presets", Presets.describe())
      .put("fusion_model", config.fusionModelName());
  }
}
