package io.openfusion.app.it;

import io.openfusion.app.node.Node;
import io.openfusion.app.testing.TestNodes;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /v1/messages} and {@code /v1/responses} run on the chat path, so a client that goes away cancels every
 * upstream call of its request, and a shutdown ends an open stream with the API's own error event.
 */
class OtherApisCancellationTest {

  private static Vertx vertx;
  private static DemoProvider demo;
  private Node node;

  @BeforeAll
  static void startUpstream() {
    vertx = Vertx.vertx();
    // panel answers after 50 ms; streamed answers trickle a token every 250 ms, so they are still running when we leave
    demo = DemoProvider.start(vertx, DemoOptions.instant().withDelays(50, 250, 50)).await();
  }

  @AfterAll
  static void stopUpstream() {
    demo.stop().await();
    vertx.close().await();
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close().await();
    }
  }

  private void start(List<String> panelModels) {
    List<UpstreamConfig> panel = panelModels.stream()
      .map(m -> new UpstreamConfig(demo.baseUrl(), "", m, null, Provider.OPENAI)).toList();
    OpenFusionConfig config = OpenFusionConfig.builder().strategy(Strategy.PANEL).panel(panel)
      .judge(new JudgeConfig(new UpstreamConfig(demo.baseUrl(), "", DemoProvider.JUDGE_MODEL, null, Provider.OPENAI), 120_000))
      .passThrough(new UpstreamConfig(demo.baseUrl(), "", DemoProvider.PASS_THROUGH_MODEL, null, Provider.OPENAI))
      .server(new ServerConfig("127.0.0.1", 0, 1 << 20).withShutdownGraceMs(800))
      .build();
    node = TestNodes.start(config);
  }

  private static JsonObject message(String model, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", 512).put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Tell me about rivers")));
  }

  private static JsonObject response(String model, boolean stream) {
    return new JsonObject().put("model", model).put("input", "Tell me about rivers").put("stream", stream);
  }

  /** Sends a request and closes the connection once {@code marker} has arrived (or after {@code afterMs}). */
  private void sendAndLeave(String path, JsonObject body, String marker, long afterMs) {
    HttpClient http = vertx.createHttpClient();
    CompletableFuture<Void> left = new CompletableFuture<>();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(node.httpPort())
        .setURI(path).putHeader("content-type", "application/json"))
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

  @Test
  void leavingAMessagesStreamDuringThePanelCancelsEveryMemberCall() {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL));
    long before = demo.cancelled();

    sendAndLeave("/v1/messages", message("openfusion", true), null, 500);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingABufferedResponsesRequestCancelsItsCalls() {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL));
    long before = demo.cancelled();

    sendAndLeave("/v1/responses", response("openfusion", false), null, 300);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
  }

  @Test
  void leavingWhileTheJudgeStreamsAResponseCancelsTheJudgeCall() {
    start(List.of("demo/atlas", "demo/birch"));
    long before = demo.cancelled();

    sendAndLeave("/v1/responses", response("openfusion", true), "response.output_text.delta", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingAPassedThroughMessagesStreamCancelsIt() {
    start(List.of("demo/atlas"));
    long before = demo.cancelled();

    sendAndLeave("/v1/messages", message("demo/birch", true), "text_delta", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void shutdownEndsAnOpenMessagesStreamWithAnErrorEvent() throws Exception {
    start(List.of("demo/atlas"));
    HttpClient http = vertx.createHttpClient();
    CompletableFuture<String> body = new CompletableFuture<>();
    Buffer received = Buffer.buffer();
    Node running = node;
    AtomicBoolean stopping = new AtomicBoolean();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(node.httpPort())
        .setURI("/v1/messages").putHeader("content-type", "application/json"))
      .compose(request -> request.send(message("openfusion", true).encode()))
      .onSuccess(response -> {
        response.handler(chunk -> {
          received.appendBuffer(chunk);
          if (chunk.toString().contains("text_delta") && stopping.compareAndSet(false, true)) {
            running.close();
          }
        });
        response.endHandler(v -> body.complete(received.toString()));
        response.exceptionHandler(body::completeExceptionally);
      })
      .onFailure(body::completeExceptionally);

    String stream = body.get(15, TimeUnit.SECONDS);
    node = null;
    assertThat(stream.strip()).endsWith("\"type\":\"overloaded_error\",\"message\":\"The server is shutting down; retry the request\"}}");
    assertThat(stream).contains("event: error").doesNotContain("message_stop");
  }
}
