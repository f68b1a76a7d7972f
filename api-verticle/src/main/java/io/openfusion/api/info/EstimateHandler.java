package io.openfusion.api.info;

import io.openfusion.api.http.RequestJson;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/estimate}: takes a chat body and asks a router what running it would cost. */
public final class EstimateHandler {

  /** Price lists may have to be fetched from the provider first. */
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  public EstimateHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  public void handle(RoutingContext ctx) {
    Object parsed;
    try {
      parsed = RequestJson.decode(ctx.body().buffer());
    } catch (DecodeException | NullPointerException e) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.INVALID_JSON, "Invalid JSON; send a chat request body"));
      return;
    }
    if (!(parsed instanceof JsonObject body)) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.INVALID_BODY, "Request body must be a JSON object"));
      return;
    }
    Object override = body.remove("openfusion");
    if (override instanceof JsonObject o && o.remove(io.openfusion.api.chat.EventsPreference.OVERRIDE_KEY) != null && o.isEmpty()) {
      override = null; // the wire format of a stream has no cost
    }
    if (!(body.getValue("messages") instanceof io.vertx.core.json.JsonArray)) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.INVALID_MESSAGES, "messages is required and must be an array"));
      return;
    }
    JsonObject request = new JsonObject().put("body", body).put("override", override instanceof JsonObject o ? o : null);
    vertx.eventBus().<JsonObject>request(Addresses.ROUTER_ESTIMATE, request, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
      .onSuccess(reply -> ctx.json(reply.body()))
      .onFailure(failure -> ErrorResponses.send(ctx, ApiError.from(failure, "router")));
  }
}
