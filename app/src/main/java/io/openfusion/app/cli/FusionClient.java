package io.openfusion.app.cli;

import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.sse.SseParser;
import io.openfusion.shared.sse.SseTooLargeException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A small client for the openfusion HTTP API, in-process node or remote server alike: streamed chat
 * turns, plain JSON calls, and cancellation by closing the connection.
 */
final class FusionClient {

  private static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

  private final HttpClient http;
  private final String bearer;
  private volatile String baseUrl;

  /**
   * @param baseUrl the API root, ending in {@code /v1}
   * @param bearer  the gateway key to send, or null
   */
  FusionClient(Vertx vertx, String baseUrl, String bearer) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setKeepAlive(true));
    this.baseUrl = baseUrl;
    this.bearer = bearer;
  }

  /** Points the client at another API root (an in-process node restarted on a new port). */
  void retarget(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** Starts a streamed chat completion; events arrive on the returned turn. */
  Turn stream(JsonObject body) {
    Turn turn = new Turn();
    // the CLI shows progress, panel answers and usage, so it opts in to openfusion's named events
    http.request(options(HttpMethod.POST, "/chat/completions").putHeader("accept", "text/event-stream")
        .putHeader("x-openfusion-events", "on"))
      .onSuccess(request -> {
        turn.attach(request);
        request.send(body.toBuffer())
          .onSuccess(response -> read(turn, response))
          .onFailure(failure -> turn.fail(connectionFailure(failure)));
      })
      .onFailure(failure -> turn.fail(connectionFailure(failure)));
    return turn;
  }

  private static void read(Turn turn, HttpClientResponse response) {
    if (response.statusCode() != 200) {
      response.body()
        .onSuccess(body -> turn.fail(ApiFailure.fromBody(response.statusCode(), body.toString())))
        .onFailure(failure -> turn.fail(connectionFailure(failure)));
      return;
    }
    boolean[] done = new boolean[1];
    SseParser parser = SseParser.create(MAX_EVENT_BYTES, event -> {
      if (!done[0]) {
        done[0] = dispatch(turn, event);
      }
    });
    response.handler(buffer -> {
      try {
        parser.handle(buffer);
      } catch (SseTooLargeException e) {
        turn.fail(new ApiFailure(0, "stream_error", e.getMessage()));
      }
    });
    response.exceptionHandler(failure -> turn.fail(connectionFailure(failure)));
    response.endHandler(end -> {
      parser.end();
      if (!done[0]) {
        turn.closed();
      }
    });
  }

  /** @return true once the stream is over ({@code [DONE]} or an error chunk) */
  private static boolean dispatch(Turn turn, SseEvent event) {
    if (event.isDone()) {
      turn.done();
      return true;
    }
    JsonObject json;
    try {
      json = new JsonObject(event.data());
    } catch (DecodeException e) {
      return false;
    }
    String name = event.event();
    if (name == null || name.equals("message")) {
      turn.chunk(json);
      return json.getValue("error") instanceof JsonObject;
    }
    switch (name) {
      case "progress" -> turn.progress(json);
      case "usage" -> turn.usage(json);
      case "analysis" -> turn.analysis(json);
      default -> {
        // panel_answer and future events: not shown in the terminal
      }
    }
    return false;
  }

  /** A non-streamed call that the caller can abort from another thread through {@code abort}. */
  Future<JsonObject> call(HttpMethod method, String path, JsonObject body, AtomicReference<HttpClientRequest> abort) {
    return http.request(options(method, path)).compose(request -> {
      if (abort != null) {
        abort.set(request);
      }
      Future<HttpClientResponse> sent = body == null ? request.send() : request.send(body.toBuffer());
      return sent.compose(response -> response.body().map(buffer -> json(response.statusCode(), buffer)));
    }).recover(failure -> Future.failedFuture(failure instanceof ApiFailure ? failure : connectionFailure(failure)));
  }

  Future<JsonObject> get(String path) {
    return call(HttpMethod.GET, path, null, null);
  }

  Future<JsonObject> post(String path, JsonObject body) {
    return call(HttpMethod.POST, path, body, null);
  }

  private static JsonObject json(int status, Buffer body) {
    if (status / 100 != 2) {
      throw ApiFailure.fromBody(status, body.toString());
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException e) {
      throw new ApiFailure(status, "invalid_response", "the server did not answer with JSON");
    }
  }

  private RequestOptions options(HttpMethod method, String path) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(baseUrl + path)
      .putHeader("content-type", "application/json").putHeader("user-agent", "openfusion-cli");
    if (bearer != null) {
      options.putHeader("authorization", "Bearer " + bearer);
    }
    return options;
  }

  static ApiFailure connectionFailure(Throwable failure) {
    if (failure instanceof ApiFailure api) {
      return api;
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return new ApiFailure(0, "connection_error", "could not reach the server: " + message);
  }

  Future<Void> close() {
    return http.close();
  }
}
