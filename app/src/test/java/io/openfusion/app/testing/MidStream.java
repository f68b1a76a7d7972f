package io.openfusion.app.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Raw HTTP requests for tests that act in the middle of a response: the client goes away, or the node stops. */
public final class MidStream {

  private MidStream() {
  }

  /**
   * Sends {@code body} to {@code path} and closes the connection once {@code marker} has arrived, or after
   * {@code afterMs} when {@code marker} is null; returns once the connection is closed.
   */
  public static void leave(Vertx vertx, int port, String path, JsonObject body, String marker, long afterMs) {
    CompletableFuture<Void> left = new CompletableFuture<>();
    vertx.createHttpClient().request(post(port, path))
      .compose(request -> {
        if (marker == null) {
          vertx.setTimer(afterMs, t -> request.connection().close().onComplete(done -> left.complete(null)));
        }
        return request.send(body.encode());
      })
      .onSuccess((HttpClientResponse response) -> response.handler(chunk -> {
        if (marker != null && chunk.toString().contains(marker) && !left.isDone()) {
          response.request().connection().close().onComplete(done -> left.complete(null));
        }
      }))
      .onFailure(left::completeExceptionally);
    left.orTimeout(20, TimeUnit.SECONDS).join();
  }

  /** Sends {@code body} to {@code path}, stops {@code node} once {@code marker} has arrived, and returns the whole response. */
  public static String stopNodeAt(Vertx vertx, RunningNode node, String path, JsonObject body, String marker) throws Exception {
    CompletableFuture<String> whole = new CompletableFuture<>();
    Buffer received = Buffer.buffer();
    AtomicBoolean stopping = new AtomicBoolean();
    vertx.createHttpClient().request(post(node.port(), path))
      .compose(request -> request.send(body.encode()))
      .onSuccess(response -> {
        response.handler(chunk -> {
          received.appendBuffer(chunk);
          if (chunk.toString().contains(marker) && stopping.compareAndSet(false, true)) {
            node.stop();
          }
        });
        response.endHandler(v -> whole.complete(received.toString()));
        response.exceptionHandler(whole::completeExceptionally);
      })
      .onFailure(whole::completeExceptionally);
    return whole.get(15, TimeUnit.SECONDS);
  }

  private static RequestOptions post(int port, String path) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
      .putHeader("content-type", "application/json");
  }
}
