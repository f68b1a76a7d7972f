package io.openfusion.api;

import io.openfusion.api.chat.ChatHandler;
import io.openfusion.api.http.Admission;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.api.http.OversizedBodies;
import io.openfusion.api.http.PlaygroundHeaders;
import io.openfusion.api.http.RequestIds;
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
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP edge: the OpenAI-compatible API, the playground and health/metrics. It owns HTTP and SSE
 * only; every decision about answering a request is taken behind the event bus.
 */
public final class ApiVerticle extends VerticleBase {

  /** Keys are short; the endpoint never needs more. */
  private static final int KEY_BODY_LIMIT = 4096;

  private final OpenFusionConfig config;
  private final ApiOptions options;
  private HttpServer server;
  private HttpServer metricsServer;
  private ChatHandler chat;
  private ServerInfo info;
  private RuntimeKeys keys;

  public ApiVerticle(OpenFusionConfig config, ApiOptions options) {
    this.config = config;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    ClusterView cluster = options.cluster() != null ? options.cluster() : ClusterView.of(vertx);
    chat = new ChatHandler(vertx, config, cluster);
    info = new ServerInfo(config);
    keys = new RuntimeKeys(vertx);
    ServerConfig settings = config.server();
    Router router = routes(settings);
    Future<HttpServer> main = vertx.createHttpServer(serverOptions(settings.port())).requestHandler(router).listen()
      .onSuccess(s -> server = s);
    Future<?> metrics = Future.succeededFuture();
    if (metricsServed() && settings.metricsPort() > 0) {
      Router metricsRouter = Router.router(vertx);
      metricsRouter.get("/metrics").handler(PrometheusScrapingHandler.create(options.metricsRegistry()));
      metrics = vertx.createHttpServer(serverOptions(settings.metricsPort())).requestHandler(metricsRouter).listen()
        .onSuccess(s -> metricsServer = s);
    }
    return Future.all(main, metrics);
  }

  /**
   * Stops taking chat requests (new ones get 503 {@code shutting_down}), lets the ones in flight finish
   * for {@code server.shutdown_grace_seconds}, ends the streams still running with an error chunk and
   * {@code [DONE]} so no client sees a silent cut, then closes the listener.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    long grace = config.server().shutdownGraceMs();
    Future<Void> drained = chat.drain()
      .timeout(grace, TimeUnit.MILLISECONDS)
      .recover(late -> {
        chat.endAll(ApiError.of(ErrorCode.SHUTTING_DOWN, "The server is shutting down; retry the request"));
        return Future.succeededFuture();
      });
    Future<Void> metrics = metricsServer == null ? Future.succeededFuture() : metricsServer.close();
    return Future.all(drained.compose(done -> server.close()), metrics);
  }

  /** Streams this instance relays now (a gauge of the node; read from another thread, so only a count). */
  public int openStreams() {
    return chat == null ? 0 : chat.openStreams();
  }

  /** Chat requests this instance holds now, streamed or not. */
  public int inFlight() {
    return chat == null ? 0 : chat.inFlight();
  }

  /**
   * Readiness, apart from liveness ({@code /healthz}): not ready from the moment a shutdown began, so a load balancer
   * or a Kubernetes Service stops sending this node requests while it still finishes the ones it holds, and a liveness
   * probe does not restart a node that is only draining.
   */
  private void readiness(RoutingContext ctx) {
    if (chat.draining()) {
      ctx.response().putHeader("connection", "close");
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.SHUTTING_DOWN, "The server is shutting down; use another node"));
      return;
    }
    ctx.json(new JsonObject().put("status", "ready"));
  }

  /** The port actually bound (useful when the config asks for port 0). */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  private Router routes(ServerConfig settings) {
    GatewayAuth auth = new GatewayAuth(config.gatewayKeys());
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    if (!settings.corsOrigins().isEmpty()) {
      // browsers elsewhere may only call the API when the operator names their origin
      router.route("/v1/*").handler(CorsHandler.create().addOrigins(settings.corsOrigins())
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("Authorization", "Content-Type", RequestIds.HEADER, "X-OpenFusion-Events",
          GatewayAuth.API_KEY_HEADER, "anthropic-version"))
        .exposedHeaders(Set.of(RequestIds.HEADER)));
    }
    router.get("/").handler(ctx -> redirect(ctx, "/playground/"));
    // vertx-web matches "/playground" for "/playground/" too: only the bare folder name redirects
    router.getWithRegex("/playground").handler(ctx -> redirect(ctx, "/playground/"));
    router.get("/playground/*").handler(PlaygroundHeaders::apply);
    router.get("/playground/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    // browser libraries come from WebJars on the classpath, not from copies in the repository
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400));
    ClusterInfo clusterInfo = new ClusterInfo(options.cluster() != null ? options.cluster() : ClusterView.of(vertx),
      options.roles());
    router.get("/healthz").handler(clusterInfo::health);
    router.get("/readyz").handler(this::readiness);
    if (metricsServed() && settings.metricsPort() == 0) {
      var metrics = router.get("/metrics");
      if (settings.metricsRequireKey()) {
        metrics.handler(auth::handle);
      }
      metrics.handler(PrometheusScrapingHandler.create(options.metricsRegistry()));
    }
    // before the key check, so even its 401 is in Anthropic's shape
    router.route("/v1/messages*").handler(MessagesHandler::errors);
    router.route("/v1/*").handler(auth::handle);
    // a declared body over the limit, then admission (rate limit, then in-flight cap), all before the body is
    // read, so refused requests cost nothing
    Admission admission = Admission.create(vertx, config, options);
    router.post("/v1/chat/completions").handler(OversizedBodies.declaredOver(settings.maxBodyBytes()));
    router.post("/v1/chat/completions").handler(admission::handle);
    router.get("/v1/models").handler(ctx -> ctx.json(info.models()));
    router.get("/v1/cluster").handler(clusterInfo::nodes);
    router.get("/v1/config").handler(this::config);
    router.post("/v1/estimate").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(new EstimateHandler(vertx)::handle);
    router.post("/v1/runtime/api-key").handler(BodyHandler.create(false).setBodyLimit(KEY_BODY_LIMIT))
      .handler(new RuntimeKeyHandler(config, keys)::handle);
    router.get("/v1/routing/outcomes").handler(this::outcomes);
    router.post("/v1/chat/completions")
      .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(chat::handle);
    otherApis(router, admission, settings);
    router.route().failureHandler(ErrorResponses::onFailure);
    for (int status : new int[] {400, 404, 405, 413, 500}) {
      router.errorHandler(status, ErrorResponses::onFailure);
    }
    return router;
  }

  /** OpenAI's Responses API and Anthropic's Messages API, translated at this edge onto the chat path. */
  private void otherApis(Router router, Admission admission, ServerConfig settings) {
    ResponsesHandler responses = new ResponsesHandler(vertx, config, chat);
    MessagesHandler messages = new MessagesHandler(vertx, chat);
    // admission on a route of its own: vertx-web takes no body handler after a plain one on the same route
    router.post("/v1/responses").handler(OversizedBodies.declaredOver(settings.maxBodyBytes()));
    router.post("/v1/responses").handler(admission::handle);
    router.post("/v1/responses").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(responses::create);
    router.get("/v1/responses/:id").handler(responses::retrieve);
    router.delete("/v1/responses/:id").handler(responses::delete);
    router.post("/v1/messages").handler(OversizedBodies.declaredOver(settings.maxBodyBytes()));
    router.post("/v1/messages").handler(admission::handle);
    router.post("/v1/messages").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
      .handler(messages::create);
    router.post("/v1/messages/count_tokens")
      .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(messages::countTokens);
  }

  private boolean metricsServed() {
    return options.metricsRegistry() != null && config.server().metricsEnabled();
  }

  private HttpServerOptions serverOptions(int port) {
    return new HttpServerOptions()
      .setHost(config.server().host())
      .setPort(port)
      .setCompressionSupported(false);
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

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(307).putHeader("location", location).end();
  }
}
