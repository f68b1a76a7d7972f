package io.openfusion.api.chat;

import io.openfusion.api.ApiOptions;
import io.openfusion.api.ApiVerticle;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.ChatReply;
import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.config.loading.ConfigParser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An api that is stopped (SIGTERM, a rolling update) with requests in flight, against a fake router that holds them:
 * readiness turns not-ready and new chat requests get 503 {@code shutting_down} with {@code Connection: close} at
 * once, while the requests it already holds, streamed and not, still get their whole answers; the stop completes only
 * after them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ApiDrainTest {

  private Vertx vertx;
  private HttpClient client;
  private String deployment;
  private int port;
  /** The router's held requests, by the content of their user message. */
  private final Map<String, Message<JsonObject>> held = new ConcurrentHashMap<>();
  /** The streams the router answers, by the same key, and the context it answers them on. */
  private final Map<String, StreamSender> streams = new ConcurrentHashMap<>();
  private volatile Context routerContext;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    var config = ConfigParser.parse(new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("shutdown_grace_seconds", 20))
        .put("panel", new JsonArray().add(new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("api_key", "k")
          .put("model", "m/one")))
        .put("judge", new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("api_key", "k").put("model", "j/judge")),
      Map.of(), "spec.yaml");
    await(vertx.eventBus().<JsonObject>consumer(Addresses.ROUTER_CHAT, message -> {
      ChatCommand command = ChatCommand.fromJson(message.body());
      String content = command.body().getJsonArray("messages").getJsonObject(0).getString("content");
      if (command.stream()) {
        routerContext = vertx.getOrCreateContext();
        streams.put(content, StreamSender.answering(StreamPost.of(vertx), message,
          new DeliveryOptions().setSendTimeout(20_000), command.deadline()));
      }
      held.put(content, message);
    }).completion());
    ApiVerticle api = new ApiVerticle(config, new ApiOptions(null, List.of("api")));
    deployment = await(vertx.deployVerticle(api));
    port = api.port();
    client = vertx.createHttpClient();
  }

  @Test
  void aStoppingApiIsNotReadyRefusesNewRequestsAndFinishesTheOnesItHolds() throws Exception {
    assertThat(await(get("/readyz")).response().statusCode()).isEqualTo(200);
    Future<Exchange> buffered = post("held-json", false);
    Future<Exchange> streamed = post("held-stream", true);
    waitFor(() -> held.size() == 2);
    // the stream is under way: its first part reaches the client before the stop
    StreamSender stream = streams.get("held-stream");
    Future<Void> credit = onRouter(() -> stream.send(
      StreamBatch.seal(StreamBatch.start().appendString("data: {\"part\":1}\n\n"), false, false)));

    Future<Void> stopped = vertx.undeploy(deployment);

    Exchange ready = await(get("/readyz"));
    assertThat(ready.response().statusCode()).isEqualTo(503);
    assertThat(ready.json().getJsonObject("error").getString("code")).isEqualTo("shutting_down");
    assertThat(await(get("/healthz")).response().statusCode()).as("still alive while draining").isEqualTo(200);
    Exchange refused = await(post("new", true));
    assertThat(refused.response().statusCode()).isEqualTo(503);
    assertThat(refused.response().getHeader("connection")).isEqualToIgnoringCase("close");
    assertThat(refused.json().getJsonObject("error").getString("code")).isEqualTo("shutting_down");
    assertThat(held).doesNotContainKey("new");
    assertThat(stopped.isComplete()).as("the stop waits for the requests in flight").isFalse();

    held.get("held-json").reply(new ChatReply(new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant").put("content", "the whole answer"))))).toJson());
    await(credit);
    onRouter(() -> stream.last(StreamBatch.seal(StreamBatch.start()
      .appendString("data: {\"part\":2}\n\ndata: [DONE]\n\n"), true, true), true));

    Exchange answer = await(buffered);
    assertThat(answer.response().statusCode()).isEqualTo(200);
    assertThat(answer.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo("the whole answer");
    Exchange frames = await(streamed);
    assertThat(frames.response().statusCode()).isEqualTo(200);
    assertThat(frames.body().toString()).contains("{\"part\":1}", "{\"part\":2}").doesNotContain("shutting_down")
      .endsWith("data: [DONE]\n\n");
    await(stopped);
  }

  /** Runs {@code step} of the fake router's stream on the context it answers on. */
  private Future<Void> onRouter(Supplier<Future<Void>> step) {
    Promise<Void> done = Promise.promise();
    routerContext.runOnContext(v -> step.get().onComplete(done));
    return done.future();
  }

  private record Exchange(HttpClientResponse response, Buffer body) {

    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private Future<Exchange> get(String uri) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", uri)
      .compose(request -> request.send().compose(response -> response.body().map(body -> new Exchange(response, body))));
  }

  private Future<Exchange> post(String content, boolean stream) {
    JsonObject body = new JsonObject().put("model", "openfusion").put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content)));
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
      .compose(request -> request.send(body.encode())
        .compose(response -> response.body().map(bytes -> new Exchange(response, bytes))));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not reached within 10 s");
      }
      Thread.sleep(20);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 20 s", e);
    }
  }
}
