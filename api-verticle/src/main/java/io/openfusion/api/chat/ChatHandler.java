package io.openfusion.api.chat;

import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.api.http.RequestIds;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.ChatReply;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/chat/completions}: validates, hands the request to a router over the event bus, and
 * relays the answer. A client that disconnects cancels the request's work on every node.
 */
public final class ChatHandler {

  private final Vertx vertx;
  private final OpenFusionConfig config;
  private final StreamRelays relays;
  private final Drain drain = new Drain();
  /** This node's cluster id, so routers can drop the work of its clients if it dies; null on a node alone. */
  private final String origin;

  public ChatHandler(Vertx vertx, OpenFusionConfig config, ClusterView cluster) {
    this.vertx = vertx;
    this.config = config;
    this.relays = new StreamRelays(vertx);
    this.origin = cluster.clustered() ? cluster.nodeId() : null;
  }

  public void handle(RoutingContext ctx) {
    if (refusedWhileDraining(ctx)) {
      return;
    }
    JsonObject body;
    try {
      body = ChatRequestValidator.parse(ctx.body().buffer());
    } catch (ApiError invalid) {
      ErrorResponses.send(ctx, invalid);
      return;
    }
    JsonObject override = (JsonObject) body.remove("openfusion");
    boolean onlyChoseEvents = override != null && override.size() == 1 && override.containsKey(EventsPreference.OVERRIDE_KEY);
    boolean namedEvents;
    try {
      namedEvents = EventsPreference.wants(ctx.request(), override, config.server().namedEvents());
    } catch (ApiError invalid) {
      ErrorResponses.send(ctx, invalid);
      return;
    }
    if (onlyChoseEvents) {
      override = null; // it only chose the wire format, which is not a recipe override
    }
    run(ctx, body, override, namedEvents, WireFormat.CHAT);
  }

  /**
   * Runs a request that came in on another API, already translated into a chat-completions body, through the chat
   * path (validation, routing, cancellation, the stream relay), answering in {@code format}. Its streams carry no
   * progress: named events are off and the translator drops the comments.
   *
   * @param body     the chat-completions body, without an {@code openfusion} object
   * @param override the request's {@code openfusion} object, or null
   */
  public void handle(RoutingContext ctx, JsonObject body, JsonObject override, WireFormat format) {
    if (ctx.response().closed()) {
      return; // the client left while the request was being prepared: nothing was started, nothing to cancel
    }
    if (refusedWhileDraining(ctx)) {
      return;
    }
    try {
      ChatRequestValidator.validate(body);
    } catch (ApiError invalid) {
      ErrorResponses.send(ctx, invalid);
      return;
    }
    run(ctx, body, override, false, format);
  }

  private boolean refusedWhileDraining(RoutingContext ctx) {
    if (!drain.draining()) {
      return false;
    }
    ctx.response().putHeader("connection", "close");
    ErrorResponses.send(ctx, ApiError.of(ErrorCode.SHUTTING_DOWN, "The server is shutting down; retry the request"));
    return true;
  }

  private void run(RoutingContext ctx, JsonObject body, JsonObject override, boolean namedEvents, WireFormat format) {
    String requestId = RequestIds.of(ctx);
    boolean stream = Boolean.TRUE.equals(body.getValue("stream"));
    long deadline = System.currentTimeMillis() + config.timeouts().total().toMillis();
    ChatCommand command = new ChatCommand(requestId, stream, body, override, GatewayAuth.caller(ctx), deadline,
      namedEvents, origin);
    drain.track(ctx);
    if (stream) {
      streamed(ctx, command, format.stream());
    } else {
      buffered(ctx, command, format);
    }
  }

  private void streamed(RoutingContext ctx, ChatCommand command, StreamTranslator wire) {
    StreamRelay relay = relays.open(ctx.response(), wire, command.deadline(), command.requestId());
    ctx.response().closeHandler(closed -> {
      if (!relay.ended()) {
        relay.abandon();
        relays.forget(relay);
        CancelRegistry.publish(vertx.eventBus(), command.requestId());
      }
    });
    relay.follow(vertx.eventBus().request(Addresses.ROUTER_CHAT, command.toJson(),
      Deadlines.until(command.deadline(), command.requestId())));
  }

  private void buffered(RoutingContext ctx, ChatCommand command, WireFormat format) {
    ctx.response().closeHandler(closed -> {
      if (!ctx.response().ended()) {
        CancelRegistry.publish(vertx.eventBus(), command.requestId());
      }
    });
    vertx.eventBus().<JsonObject>request(Addresses.ROUTER_CHAT, command.toJson(), Deadlines.until(command.deadline(), command.requestId()))
      .compose(reply -> format.answer(ChatReply.fromJson(reply.body()).body()))
      .onSuccess(answer -> {
        if (!ctx.response().closed()) {
          ctx.response().putHeader("content-type", "application/json").end(answer.encode());
        }
      })
      .onFailure(failure -> ErrorResponses.send(ctx, ApiError.from(failure, "router")));
  }

  /** Stops taking chat requests; completes when the ones in flight have ended. */
  public Future<Void> drain() {
    return drain.start();
  }

  /** True from the moment a shutdown began: new chat requests are refused, readiness reports not ready. */
  public boolean draining() {
    return drain.draining();
  }

  /** Ends every stream still open with {@code error} (used when the server shuts down). */
  public void endAll(ApiError error) {
    relays.endAll(error);
  }

  /** Streams being relayed right now. */
  public int openStreams() {
    return relays.size();
  }

  /** Chat requests (streamed or not) between their acceptance and the end of their response. */
  public int inFlight() {
    return drain.inFlight();
  }
}
