package io.openfusion.api;

import io.openfusion.api.chat.ChatHandler;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.api.http.RequestIds;
import io.openfusion.api.info.ServerInfo;
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

  public ApiVerticle(OpenFusionConfig config, ApiOptions options) {
    this.config = config;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    ChatHandler chat = new ChatHandler(vertx, config);
    ServerInfo info = new ServerInfo(config);
    GatewayAuth auth = new GatewayAuth(config.gatewayKeys());
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router.get("/").handler(ctx -> redirect(ctx, "/playground/"));
    router.get("/playground").handler(ctx -> redirect(ctx, "/playground/"));
    router.get("/playground/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "ok").put("roles", new JsonArray(options.roles()))));
    if (options.metricsRegistry() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(options.metricsRegistry()));
    }
    router.route("/v1/*").handler(auth::handle);
    router.get("/v1/models").handler(ctx -> ctx.json(info.models()));
    router.get("/v1/config").handler(ctx -> ctx.json(info.config()));
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

  private void outcomes(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.ROUTER_OUTCOMES, new JsonObject(), new DeliveryOptions().setSendTimeout(5_000))
      .onSuccess(reply -> ctx.json(reply.body()))
      .onFailure(failure -> ErrorResponses.send(ctx, ApiError.from(failure, "router")));
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(307).putHeader("location", location).end();
  }
}
