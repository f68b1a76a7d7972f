package io.openfusion.api;

import io.openfusion.api.chat.ChatHandler;
import io.openfusion.api.http.Admission;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.api.http.OversizedBodies;
import io.openfusion.api.info.ClusterInfo;
import io.openfusion.api.info.EstimateHandler;
import io.openfusion.api.info.RuntimeKeyHandler;
import io.openfusion.api.info.ServerInfo;
import io.openfusion.api.messages.MessagesHandler;
import io.openfusion.api.responses.ResponsesHandler;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.keys.RuntimeKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.TimeUnit;

/**
 * The OpenAI-compatible API under {@code /v1}: gateway keys, admission, chat completions, the Responses and Messages
 * APIs, models, estimates and the playground's key and config endpoints. The api verticle serves them on its own
 * listener; an embedding host mounts them on its own router. One instance per event loop that serves them: its
 * handlers keep per-instance state (open streams, requests in flight) touched from that loop only.
 */
public final class ApiRoutes {

  /** Keys are short; the endpoint never needs more. */
  private static final int KEY_BODY_LIMIT = 4096;

  private final Vertx vertx;
  private final OpenFusionConfig config;
  private final ApiOptions options;
  private final ChatHandler chat;
  private final ServerInfo info;
  private final RuntimeKeys keys;
  private final ClusterView cluster;

  public ApiRoutes(Vertx vertx, OpenFusionConfig config, ApiOptions options) {
    this.vertx = vertx;
    this.config = config;
    this.options = options;
    this.cluster = options.cluster() != null ? options.cluster() : ClusterView.of(vertx);
    this.chat = new ChatHandler(vertx, config, cluster, options.recipes(), options.usage(), options.tracing() != null);
    this.info = new ServerInfo(config);
    this.keys = new RuntimeKeys(vertx);
  }

  /** The node's view of its cluster, for {@code /healthz} and {@code /v1/cluster}. */
  public ClusterView cluster() {
    return cluster;
  }

  /** Adds the {@code /v1} routes to {@code router}, relative to wherever that router is mounted. */
  public void addTo(Router router, GatewayAuth auth, Admission admission) {
    ServerConfig settings = config.server();
    // before the key check, so even its 401 is in Anthropic's shape
    router.route("/v1/messages*").handler(MessagesHandler::errors);
    router.route("/v1/*").handler(auth::handle);
    // a declared body over the limit, then admission (rate limit, in-flight cap, body bytes held), all before the
    // body is read, so refused requests cost nothing
    router.post("/v1/chat/completions").handler(OversizedBodies.declaredOver(settings.maxBodyBytes()));
    router.post("/v1/chat/completions").handler(admission::handle);
    router.get("/v1/models").handler(ctx -> ctx.json(info.models()));
    router.get("/v1/cluster").handler(new ClusterInfo(cluster, options.roles())::nodes);
    router.get("/v1/config").handler(this::config);
    router.post("/v1/estimate").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(new EstimateHandler(vertx)::handle);
    router.post("/v1/runtime/api-key").handler(BodyHandler.create(false).setBodyLimit(KEY_BODY_LIMIT))
      .handler(new RuntimeKeyHandler(config, keys)::handle);
    router.get("/v1/routing/outcomes").handler(this::outcomes);
    router.post("/v1/chat/completions")
      .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(admission::chargeReadBody)
      .handler(chat::handle);
    otherApis(router, admission, settings);
  }

  /** Adds the {@code /v1} routes with the node's gateway keys and admission. */
  public void addTo(Router router) {
    addTo(router, new GatewayAuth(config.gatewayKeys()), Admission.create(vertx, config, options));
  }

  /**
   * Stops taking chat requests (new ones get 503 {@code shutting_down}), lets the ones in flight finish within
   * {@code server.shutdown_grace_seconds}, then ends the streams still running with an error chunk and {@code [DONE]}.
   */
  public Future<Void> drain() {
    return chat.drain()
      .timeout(config.server().shutdownGraceMs(), TimeUnit.MILLISECONDS)
      .recover(late -> {
        chat.endAll(ApiError.of(ErrorCode.SHUTTING_DOWN, "The server is shutting down; retry the request"));
        return Future.succeededFuture();
      });
  }

  /** True from the moment a drain began: new chat requests are refused. */
  public boolean draining() {
    return chat.draining();
  }

  /** Streams being relayed now (a gauge of the node; read from another thread, so only a count). */
  public int openStreams() {
    return chat.openStreams();
  }

  /** Chat requests held now, streamed or not, from their acceptance to the end of their response. */
  public int inFlight() {
    return chat.inFlight();
  }

  /** OpenAI's Responses API and Anthropic's Messages API, translated at this edge onto the chat path. */
  private void otherApis(Router router, Admission admission, ServerConfig settings) {
    ResponsesHandler responses = new ResponsesHandler(vertx, config, chat);
    MessagesHandler messages = new MessagesHandler(vertx, chat);
    // admission on a route of its own: vertx-web takes no body handler after a plain one on the same route
    router.post("/v1/responses").handler(OversizedBodies.declaredOver(settings.maxBodyBytes()));
    router.post("/v1/responses").handler(admission::handle);
    router.post("/v1/responses").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(admission::chargeReadBody).handler(responses::create);
    router.get("/v1/responses/:id").handler(responses::retrieve);
    router.delete("/v1/responses/:id").handler(responses::delete);
    router.post("/v1/messages").handler(OversizedBodies.declaredOver(settings.maxBodyBytes()));
    router.post("/v1/messages").handler(admission::handle);
    router.post("/v1/messages").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(admission::chargeReadBody).handler(messages::create);
    router.post("/v1/messages/count_tokens")
      .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(messages::countTokens);
  }

  /** The recipe plus this caller's onboarding state: a playground key counts as a key. */
  private void config(RoutingContext ctx) {
    JsonObject body = info.config();
    if (!config.allowUiApiKey()) {
      ctx.json(body);
      return;
    }
    keys.get(GatewayAuth.caller(ctx)).onComplete(done -> {
      boolean set = done.succeeded() && done.result() != null;
      ctx.json(body.put("api_key_set", set).put("needs_api_key", body.getBoolean("needs_api_key") && !set));
    });
  }

  private void outcomes(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.ROUTER_OUTCOMES, new JsonObject(), new DeliveryOptions().setSendTimeout(5_000))
      .onSuccess(reply -> ctx.json(reply.body()))
      .onFailure(failure -> ErrorResponses.send(ctx, ApiError.from(failure, "router")));
  }
}
