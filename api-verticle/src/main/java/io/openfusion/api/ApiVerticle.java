package io.openfusion.api;

import io.openfusion.api.chat.ChatHandler;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.api.http.RequestIds;
import io.openfusion.api.info.EstimateHandler;
import io.openfusion.api.info.RuntimeKeyHandler;
import io.openfusion.api.info.ServerInfo;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The HTTP edge: the OpenAI-compatible API, the playground and health/metrics. It owns HTTP and SSE
 * only; every decision about answering a request is taken behind the event bus.
 */
public final class ApiVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final ApiOptions options;
  private HttpServer server;
  private ServerInfo info;
  private RuntimeKeys keys;

  public ApiVerticle(OpenFusionConfig config, ApiOptions options) {
    this.config = config;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    ChatHandler chat = new ChatHandler(vertx, config);
    info = new ServerInfo(config);
    keys = new RuntimeKeys(vertx);
    GatewayAuth auth = new GatewayAuth(config.gatewayKeys());
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router.get("/").handler(ctx -> redirect(ctx, "/playground/"));
    router.get("/playground").handler(ctx -> redirect(ctx, "/playground/"));
    router.get("/playground/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    // browser libraries come from WebJars on the classpath, not from copies in the repository
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400));
    router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "ok").put("roles", new JsonArray(options.roles()))));
    if (options.metricsRegistry() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(options.metricsRegistry()));
    }
    router.route("/v1/*").handler(auth::handle);
    router.get("/v1/models").handler(ctx -> ctx.json(info.models()));
    router.get("/v1/config").handler(this::config);
    router.post("/v1/estimate").handler(BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes()))
      .handler(new EstimateHandler(vertx)::handle);
    router.post("/v1/runtime/api-key").handler(BodyHandler.create(false).setBodyLimit(4096))
      .handler(new RuntimeKeyHandler(config, keys)::handle);
    router.get("/v1/routing/outcomes").handler(this::outcomes);
    router.post("/v1/chat/completions")
      .handler(BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes()))
      .handler(chat::handle);
    router.route().failureHandler(ErrorResponses::onFailure);
    for (int status : new int[] {400, 404, 405, 413, 500}) {
      router.errorHandler(status, ErrorResponses::onFailure);
    }
    HttpServerOptions serverOptions = new HttpServerOptions()
      .setHost(config.server().host())
      .setPort(config.server().port())
      .setCompressionSupported(false);
    return Future.all(chat.start(), vertx.createHttpServer(serverOptions).requestHandler(router).listen()
      .onSuccess(s -> server = s));
  }

  /** The port actually bound (useful when the config asks for port 0). */
  public int port() {
    return server == null ? -1 : server.actualPort();
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
