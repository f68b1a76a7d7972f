package io.openfusion.api.info;

import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.keys.RuntimeKeys;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/runtime/api-key}: the playground hands the server an upstream key for this caller.
 * The key stays in server memory, fills only upstreams the config left without one, and is never sent
 * back: the response says only whether a key is set.
 */
public final class RuntimeKeyHandler {

  /** Longer than any real provider key; anything bigger is not a key. */
  private static final int MAX_KEY_LENGTH = 512;

  private final OpenFusionConfig config;
  private final RuntimeKeys keys;

  public RuntimeKeyHandler(OpenFusionConfig config, RuntimeKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  public void handle(RoutingContext ctx) {
    if (!config.allowUiApiKey()) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.UI_KEY_DISABLED,
        "Setting the API key from the UI is disabled on this server; set allow_ui_api_key: true or configure the key"));
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.INVALID_JSON, "Request body must be a JSON object like {\"api_key\": \"...\"}"));
      return;
    }
    if (body == null || body.getValue("api_key") != null && !(body.getValue("api_key") instanceof String)) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.INVALID_BODY, "Request body must be a JSON object like {\"api_key\": \"...\"}"));
      return;
    }
    String key = body.getString("api_key", "").strip();
    if (key.length() > MAX_KEY_LENGTH || key.chars().anyMatch(Character::isWhitespace)) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.INVALID_PARAMETER, "api_key does not look like a provider key"));
      return;
    }
    String caller = GatewayAuth.caller(ctx);
    (key.isEmpty() ? keys.clear(caller) : keys.set(caller, key))
      .onSuccess(done -> ctx.json(new JsonObject().put("ok", true).put("api_key_set", !key.isEmpty())))
      .onFailure(failure -> ErrorResponses.send(ctx, ApiError.of(ErrorCode.INTERNAL_ERROR, "Could not store the key; try again")));
  }
}
