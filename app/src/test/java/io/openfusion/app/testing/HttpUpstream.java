package io.openfusion.app.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Function;

/**
 * A hand-written upstream fake, for what WireMock cannot script (a connection dropped mid-stream, calls counted while
 * they overlap): an HTTP server on loopback with a Vert.x instance of its own.
 */
public record HttpUpstream(Vertx vertx, HttpServer server) {

  /** Starts a server whose requests {@code handler} answers; it is given the fake's Vert.x, for timers. */
  public static HttpUpstream start(Function<Vertx, Handler<HttpServerRequest>> handler) {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server = TestNodes.await(vertx.createHttpServer().requestHandler(handler.apply(vertx)).listen(0, "127.0.0.1"),
        "starting an upstream fake");
      return new HttpUpstream(vertx, server);
    } catch (RuntimeException | Error failure) {
      vertx.close();
      throw failure;
    }
  }

  /** Where an OpenAI-style upstream config points at it. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public void stop() {
    TestNodes.await(vertx.close(), "closing an upstream fake");
  }
}
