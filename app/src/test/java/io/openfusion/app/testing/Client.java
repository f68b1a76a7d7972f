package io.openfusion.app.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A blocking HTTP client for tests (tests may wait; production code never does). */
public final class Client implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final WebClient web;
  /** Value of {@code X-OpenFusion-Events} sent with every request, or null for none. */
  private final String events;

  private Client(int port, String events, PoolOptions pool) {
    this.events = events;
    // a hung request fails the test instead of hanging the build
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setIdleTimeout(60)
      .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS), pool);
  }

  /**
   * A client of the node on {@code port}.
   *
   * @param namedEvents whether it opts in to openfusion's named SSE events, as the playground and the CLI do
   * @param maxConnections HTTP/1 connections it may open to one node at once; 0 for the default
   */
  public static Client create(int port, boolean namedEvents, int maxConnections) {
    PoolOptions pool = maxConnections > 0 ? new PoolOptions().setHttp1MaxSize(maxConnections) : new PoolOptions();
    return new Client(port, namedEvents ? "on" : null, pool);
  }

  /**
   * The web client underneath, for requests the helpers here do not cover (several headers, other methods, another
   * node's port); it sends no {@code X-OpenFusion-Events} header of its own.
   */
  public WebClient web() {
    return web;
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return withEvents(web.post(path)).sendJsonObject(body).await();
  }

  public HttpResponse<Buffer> post(String path, JsonObject body, String header, String value) {
    return withEvents(web.post(path)).putHeader(header, value).sendJsonObject(body).await();
  }

  public HttpResponse<Buffer> postRaw(String path, Buffer body, String contentType) {
    return withEvents(web.post(path)).putHeader("content-type", contentType).sendBuffer(body).await();
  }

  private io.vertx.ext.web.client.HttpRequest<Buffer> withEvents(io.vertx.ext.web.client.HttpRequest<Buffer> request) {
    return events == null ? request : request.putHeader("X-OpenFusion-Events", events);
  }

  public HttpResponse<Buffer> get(String path) {
    return web.get(path).send().await();
  }

  public HttpResponse<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return web.request(method, path).send().await();
  }

  public static JsonObject chat(String model, String prompt, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }

  @Override
  public void close() {
    TestNodes.await(vertx.close(), "closing a test client");
  }
}
