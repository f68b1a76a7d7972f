package io.openfusion.shared.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helpers: request bodies, calls and blocking waits (test thread only). */
final class Calls {

  static final String KEY = "sk-test-1234567890";

  private Calls() {
  }

  static JsonObject body(boolean stream) {
    return new JsonObject()
        .put("model", "test/model")
        .put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "secret prompt")));
  }

  static UpstreamCall call(String baseUrl, boolean stream) {
    return call(baseUrl, KEY, stream, 5_000, null);
  }

  static UpstreamCall call(String baseUrl, String key, boolean stream, long budgetMs, Future<Void> cancel) {
    return new UpstreamCall(baseUrl, key, body(stream), System.currentTimeMillis() + budgetMs, cancel, "test");
  }

  /**
   * Loads the HTTP client and server classes once (one throw-away streaming exchange on its own Vert.x) so the first
   * test's timing is not charged with a cold JVM; this matters on a loaded build box.
   */
  static void warmUp() {
    Vertx warm = Vertx.vertx();
    try {
      HttpServer s = await(warm.createHttpServer().requestHandler(req -> req.body().onSuccess(b ->
          req.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
              .end("data: " + chunk("w", "stop") + "\n\ndata: [DONE]\n\n"))).listen(0, "127.0.0.1"), 20);
      UpstreamClient c = UpstreamClient.create(warm, UpstreamOptions.defaults());
      await(c.stream(new UpstreamCall("http://127.0.0.1:" + s.actualPort() + "/v1", null, body(true),
          System.currentTimeMillis() + 20_000, null, "warm-up"), d -> { }), 20);
    } finally {
      await(warm.close(), 20);
    }
  }

  static <T> T await(Future<T> future) {
    // generous: a loaded CI machine may take seconds to schedule a loopback exchange
    return await(future, 15);
  }

  static <T> T await(Future<T> future, int seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within " + seconds + " s", e);
    }
  }

  /** Waits for the future to fail and returns the failure as an UpstreamException. */
  static UpstreamException failure(Future<?> future) {
    try {
      Object v = future.await(15, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + v);
    } catch (UpstreamException e) {
      return e;
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within 15 s", e);
    }
  }

  static String chunk(String content, String finishReason) {
    JsonObject delta = content == null ? new JsonObject() : new JsonObject().put("content", content);
    return new JsonObject()
        .put("id", "c1").put("object", "chat.completion.chunk")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
            .put("finish_reason", finishReason)))
        .encode();
  }

  static String usageChunk(int prompt, int completion) {
    return new JsonObject().put("id", "c1").put("choices", new JsonArray())
        .put("usage", new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
            .put("total_tokens", prompt + completion).put("cost", 0.0012))
        .encode();
  }
}
