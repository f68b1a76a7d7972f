package io.openfusion.api;

import io.openfusion.api.http.Admission;
import io.openfusion.api.http.EdgeTraces;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.api.http.PlaygroundHeaders;
import io.openfusion.api.http.RequestIds;
import io.openfusion.api.info.ClusterInfo;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.Set;

/**
 * The HTTP edge: the OpenAI-compatible API ({@link ApiRoutes}), the playground and health/metrics, on a listener of
 * its own. It owns HTTP and SSE only; every decision about answering a request is taken behind the event bus.
 */
public final class ApiVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final ApiOptions options;
  private HttpServer server;
  private HttpServer metricsServer;
  private ApiRoutes api;

  public ApiVerticle(OpenFusionConfig config, ApiOptions options) {
    this.config = config;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    api = new ApiRoutes(vertx, config, options);
    ServerConfig settings = config.server();
    Router router = routes(settings);
    // the router's stream parts for this instance's clients come to its post: known cluster-wide before a request can
    // name it
    Future<HttpServer> main = StreamPost.of(vertx).ready()
      .compose(posted -> vertx.createHttpServer(serverOptions(ListenPort.of(settings.port(), context.deploymentID())))
        .requestHandler(router).listen())
      .onSuccess(s -> server = s);
    Future<?> metrics = Future.succeededFuture();
    if (metricsServed() && settings.metricsPort() > 0) {
      Router metricsRouter = Router.router(vertx);
      metricsRouter.get("/metrics").handler(PrometheusScrapingHandler.create(options.metricsRegistry()));
      metrics = vertx.createHttpServer(serverOptions(settings.metricsPort())).requestHandler(metricsRouter).listen()
        .onSuccess(s -> metricsServer = s);
    }
    return Future.join(main, metrics);
  }

  /**
   * Stops taking chat requests (new ones get 503 {@code shutting_down}), lets the ones in flight finish
   * for {@code server.shutdown_grace_seconds}, ends the streams still running with an error chunk and
   * {@code [DONE]} so no client sees a silent cut, then closes the listener.
   */
  @Override
  public Future<?> stop() {
    ListenPort.release(context.deploymentID());
    if (server == null) {
      return Future.succeededFuture();
    }
    Future<Void> metrics = metricsServer == null ? Future.succeededFuture() : metricsServer.close();
    return Future.join(api.drain().compose(done -> server.close()), metrics);
  }

  /** Streams this instance relays now (a gauge of the node; read from another thread, so only a count). */
  public int openStreams() {
    return api == null ? 0 : api.openStreams();
  }

  /** Chat requests this instance holds now, streamed or not. */
  public int inFlight() {
    return api == null ? 0 : api.inFlight();
  }

  /**
   * Readiness, apart from liveness ({@code /healthz}): not ready from the moment a shutdown began, so a load balancer
   * or a Kubernetes Service stops sending this node requests while it still finishes the ones it holds, and a liveness
   * probe does not restart a node that is only draining.
   */
  private void readiness(RoutingContext ctx) {
    if (api.draining()) {
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
    if (options.tracing() != null) {
      router.route().handler(new EdgeTraces(options.tracing())::mark);
    }
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
    router.get("/healthz").handler(new ClusterInfo(api.cluster(), options.roles())::health);
    router.get("/readyz").handler(this::readiness);
    if (metricsServed() && settings.metricsPort() == 0) {
      var metrics = router.get("/metrics");
      if (settings.metricsRequireKey()) {
        metrics.handler(auth::handle);
      }
      metrics.handler(PrometheusScrapingHandler.create(options.metricsRegistry()));
    }
    api.addTo(router, auth, Admission.create(vertx, config, options));
    router.route().failureHandler(ErrorResponses::onFailure);
    for (int status : new int[] {400, 404, 405, 413, 500}) {
      router.errorHandler(status, ErrorResponses::onFailure);
    }
    return router;
  }

  private boolean metricsServed() {
    return options.metricsRegistry() != null && config.server().metricsEnabled();
  }

  private HttpServerOptions serverOptions(int port) {
    return new HttpServerOptions()
      .setHost(config.server().host())
      .setPort(port)
      .setCompressionSupported(false)
      // no WebSocket routes: without compression extensions Vert.x leaves the WebSocket extension handler out of every
      // connection's pipeline, where it would otherwise inspect each write of a stream for an upgrade
      .setPerMessageWebSocketCompressionSupported(false)
      .setPerFrameWebSocketCompressionSupported(false)
      // no HTTP/2 over plain TCP: an upgrade request (which JDK clients send by default) is read whole before any
      // route sees it, so admission could not hold back its body; clients stay on HTTP/1.1, as with most gateways
      .setHttp2ClearTextEnabled(false);
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(307).putHeader("location", location).end();
  }
}
