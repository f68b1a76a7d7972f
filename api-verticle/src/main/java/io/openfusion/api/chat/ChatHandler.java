package io.openfusion.api.chat;

import io.openfusion.api.RecipeChooser;
import io.openfusion.api.http.EdgeTraces;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.api.http.RequestIds;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.SameLoop;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.ChatReply;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.usage.UsageSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
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
  /** Where each chat goes: a router on the handling thread when this process runs one there, else any router. */
  private final SameLoop routers;
  private final Drain drain = new Drain();
  /** This node's cluster id, so routers can drop the work of its clients if it dies; null on a node alone. */
  private final String origin;
  /** Chooses each request's named recipe; null when every request runs the node's config. */
  private final RecipeChooser recipes;
  private final EdgeUsage usage;
  /** Whether the node has traces: each request's bus message then names its server span ({@link EdgeTraces}). */
  private final boolean traced;

  public ChatHandler(Vertx vertx, OpenFusionConfig config, ClusterView cluster) {
    this(vertx, config, cluster, null, UsageSink.NONE, false);
  }

  /**
   * @param recipes chooses each request's named recipe, or null
   * @param usage   where the requests this edge ends itself, before any router had them, are reported
   * @param traced  whether the node has traces
   */
  public ChatHandler(Vertx vertx, OpenFusionConfig config, ClusterView cluster, RecipeChooser recipes, UsageSink usage,
                     boolean traced) {
    this.vertx = vertx;
    this.config = config;
    this.relays = new StreamRelays(vertx);
    this.routers = SameLoop.of(vertx, Addresses.ROUTER_CHAT);
    this.origin = cluster.clustered() ? cluster.nodeId() : null;
    this.recipes = recipes;
    this.usage = new EdgeUsage(usage);
    this.traced = traced;
  }

  public void handle(RoutingContext ctx) {
    if (refusedWhileDraining(ctx, WireFormat.CHAT)) {
      return;
    }
    JsonObject body;
    try {
      body = ChatRequestValidator.parse(ctx.body().buffer());
    } catch (ApiError invalid) {
      refuse(ctx, invalid, WireFormat.CHAT, false);
      return;
    }
    JsonObject override = (JsonObject) body.remove("openfusion");
    boolean onlyChoseEvents = override != null && override.size() == 1 && override.containsKey(EventsPreference.OVERRIDE_KEY);
    boolean namedEvents;
    try {
      namedEvents = EventsPreference.wants(ctx.request(), override, config.server().namedEvents());
    } catch (ApiError invalid) {
      refuse(ctx, invalid, WireFormat.CHAT, streams(body));
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
    if (refusedWhileDraining(ctx, format)) {
      return;
    }
    try {
      ChatRequestValidator.validate(body);
    } catch (ApiError invalid) {
      refuse(ctx, invalid, format, streams(body));
      return;
    }
    run(ctx, body, override, false, format);
  }

  private boolean refusedWhileDraining(RoutingContext ctx, WireFormat format) {
    if (!drain.draining()) {
      return false;
    }
    ctx.response().putHeader("connection", "close");
    refuse(ctx, ApiError.of(ErrorCode.SHUTTING_DOWN, "The server is shutting down; retry the request"), format, false);
    return true;
  }

  /** Ends a request no router will see: the client gets the error, the usage report says so. */
  private void refuse(RoutingContext ctx, ApiError error, WireFormat format, boolean stream) {
    ErrorResponses.send(ctx, error);
    usage.refused(RequestIds.of(ctx), GatewayAuth.caller(ctx), null, format.endpoint(), stream, error);
  }

  private static boolean streams(JsonObject body) {
    return Boolean.TRUE.equals(body.getValue("stream"));
  }

  private void run(RoutingContext ctx, JsonObject body, JsonObject override, boolean namedEvents, WireFormat format) {
    String caller = GatewayAuth.caller(ctx);
    boolean stream = streams(body);
    // the deadline starts when the request arrived, so a slow recipe choice eats into it rather than extending it
    long deadline = System.currentTimeMillis() + config.timeouts().total().toMillis();
    drain.track(ctx);
    chooseRecipe(ctx, caller).onComplete(chosen -> {
      if (chosen.failed()) {
        refuse(ctx, ApiError.of(ErrorCode.RECIPE_UNAVAILABLE, "No recipe could be chosen for this caller ("
          + chosen.cause().getMessage() + "); the server's recipe resolver needs fixing"), format, stream);
        return;
      }
      if (ctx.response().closed()) {
        usage.refused(RequestIds.of(ctx), caller, chosen.result(), format.endpoint(), stream,
          ApiError.of(ErrorCode.CLIENT_GONE, "The client went away"));
        return;
      }
      ChatCommand command = new ChatCommand(RequestIds.of(ctx), stream, body, override, caller, deadline, namedEvents,
        origin, chosen.result(), format.endpoint());
      if (stream) {
        streamed(ctx, command, format.stream());
      } else {
        buffered(ctx, command, format);
      }
    });
  }

  /** The host's choice, never thrown: a resolver that throws or answers nothing fails the future instead. */
  private Future<String> chooseRecipe(RoutingContext ctx, String caller) {
    if (recipes == null) {
      return Future.succeededFuture();
    }
    Context context = vertx.getOrCreateContext();
    try {
      Future<String> chosen = recipes.choose(caller, ctx.request().headers());
      // back on this request's event loop, whichever thread the host completed its future on
      return chosen != null ? Future.fromCompletionStage(chosen.toCompletionStage(), context)
        : Future.failedFuture("the resolver returned no future");
    } catch (RuntimeException failure) {
      return Future.failedFuture(failure);
    }
  }

  /** The request's bus delivery: its deadline and request id, and its server span while the node traces. */
  private DeliveryOptions toRouter(RoutingContext ctx, ChatCommand command) {
    return Deadlines.until(command.deadline(), command.requestId(), traced ? EdgeTraces.of(ctx) : null);
  }

  private void streamed(RoutingContext ctx, ChatCommand command, StreamTranslator wire) {
    StreamRelay relay = relays.open(ctx.response(), wire, command.deadline());
    ctx.response().closeHandler(closed -> {
      if (!relay.ended()) {
        relay.abandon();
        relays.forget(relay);
        CancelRegistry.publish(vertx.eventBus(), command.requestId());
      }
    });
    // the post is registered once per context (an embedding host's first request on a loop waits for it)
    Future<Message<Object>> answer = StreamPost.of(vertx).ready().compose(posted -> vertx.eventBus()
      .request(routers.address(), command.toJson(), relay.options(toRouter(ctx, command))));
    answer.onFailure(failure -> usage.undelivered(command, failure));
    relay.follow(answer);
  }

  private void buffered(RoutingContext ctx, ChatCommand command, WireFormat format) {
    ctx.response().closeHandler(closed -> {
      if (!ctx.response().ended()) {
        CancelRegistry.publish(vertx.eventBus(), command.requestId());
      }
    });
    vertx.eventBus().<JsonObject>request(routers.address(), command.toJson(), toRouter(ctx, command))
      .onFailure(failure -> usage.undelivered(command, failure))
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
