package io.openfusion.shared.demo.impl;

import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of {@link DemoProvider}: a tiny route table in front of {@link DemoChat}. */
public final class DemoServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DemoServerVerticle.class);

  private final DemoOptions options;
  private final DemoCounters counters = new DemoCounters();
  private volatile HttpServer server;
  private DemoChat chat;

  public DemoServerVerticle(DemoOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    chat = new DemoChat(vertx, options, counters);
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()))
      .requestHandler(this::route)
      .listen()
      .onSuccess(s -> {
        server = s;
        LOG.info("openfusion demo provider listening on http://{}:{}/v1 (SIMULATED answers, no network, no API key)",
          options.host(), s.actualPort());
      });
  }

  @Override
  public Future<?> stop() {
    HttpServer s = server;
    return s == null ? Future.succeededFuture() : s.close();
  }

  /** The bound port, or -1 before the server is listening. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  public DemoCounters counters() {
    return counters;
  }

  private void route(HttpServerRequest request) {
    request.response().putHeader(DemoProvider.SIMULATED_HEADER, "simulated");
    String path = request.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    switch (path) {
      case "/v1/chat/completions":
        if (allowed(request, HttpMethod.POST)) {
          chat.handle(request);
        }
        break;
      case "/v1/models":
        if (allowed(request, HttpMethod.GET)) {
          sendJson(request.response(), 200, DemoPricing.modelList());
        }
        break;
      case "/healthz":
        if (allowed(request, HttpMethod.GET)) {
          sendJson(request.response(), 200, new JsonObject().put("status", "ok").put("simulated", true));
        }
        break;
      default:
        sendError(request.response(), new DemoFailure(404, "invalid_request_error", "not_found",
          "Unknown path " + path + ": the openfusion demo provider serves POST /v1/chat/completions and GET /v1/models"));
    }
  }

  private static boolean allowed(HttpServerRequest request, HttpMethod method) {
    if (request.method().equals(method)) {
      return true;
    }
    request.response().putHeader("allow", method.name());
    sendError(request.response(), new DemoFailure(405, "invalid_request_error", "method_not_allowed",
      request.method() + " is not allowed on " + request.path() + "; use " + method));
    return false;
  }

  static void sendError(HttpServerResponse response, DemoFailure failure) {
    if (failure.status() == 429) {
      response.putHeader("retry-after", "1");
    }
    sendJson(response, failure.status(), failure.toJson());
  }

  private static void sendJson(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
