package io.openfusion.app.it;

import io.openfusion.app.node.Node;
import io.openfusion.app.testing.Client;
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
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that goes away cancels every upstream call of its request, and a server that shuts down
 * ends open streams cleanly. The fake upstream counts the connections it saw closed early.
 */
class CancellationTest {

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

  private void start(List<String> panelModels, long graceMs) {
    List<UpstreamConfig> panel = panelModels.stream()
      .map(m -> new UpstreamConfig(demo.baseUrl(), "", m, null, Provider.OPENAI)).toList();
    OpenFusionConfig config = OpenFusionConfig.builder().strategy(Strategy.PANEL).panel(panel)
      .judge(new JudgeConfig(new UpstreamConfig(demo.baseUrl(), "", DemoProvider.JUDGE_MODEL, null, Provider.OPENAI), 120_000))
      .passThrough(new UpstreamConfig(demo.baseUrl(), "", DemoProvider.PASS_THROUGH_MODEL, null, Provider.OPENAI))
      .server(new ServerConfig("127.0.0.1", 0, 1 << 20).withShutdownGraceMs(graceMs))
      .build();
    node = TestNodes.start(config);
  }

  /** Sends a chat request and closes the connection once {@code marker} has arrived (or after {@code afterMs}). */
  private void sendAndLeave(JsonObject body, String marker, long afterMs) {
    HttpClient http = vertx.createHttpClient();
    CompletableFuture<Void> left = new CompletableFuture<>();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(node.httpPort())
        .setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
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

  private static JsonObject chat(String model, boolean stream) {
    return Client.chat(model, "Tell me about rivers", stream);
  }

  @Test
  void leavingDuringThePanelCancelsEveryMemberCall() {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL), 1_000);
    long before = demo.cancelled();

    // leave once both members are surely waiting on the upstream
    sendAndLeave(chat("openfusion", true), null, 500);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingANonStreamedRequestCancelsItsCallsToo() {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL), 1_000);
    long before = demo.cancelled();

    sendAndLeave(chat("openfusion", false), null, 300);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
  }

  @Test
  void leavingWhileTheJudgeStreamsCancelsTheJudgeCall() {
    start(List.of("demo/atlas", "demo/birch"), 1_000);
    long before = demo.cancelled();

    sendAndLeave(chat("openfusion", true), "\"content\"", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingAPassThroughStreamCancelsIt() {
    start(List.of("demo/atlas"), 1_000);
    long before = demo.cancelled();

    sendAndLeave(chat("demo/birch", true), "\"content\"", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
  }

  @Test
  void shutdownEndsOpenStreamsWithAnErrorChunkThenDone() throws Exception {
    start(List.of("demo/atlas"), 800);
    HttpClient http = vertx.createHttpClient();
    CompletableFuture<String> body = new CompletableFuture<>();
    Buffer received = Buffer.buffer();
    Node running = node;
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(node.httpPort())
        .setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
      .compose(request -> request.send(chat("openfusion", true).encode()))
      .onSuccess(response -> {
        response.handler(chunk -> {
          received.appendBuffer(chunk);
          if (chunk.toString().contains("\"content\"") && stopping.compareAndSet(false, true)) {
            running.close();
          }
        });
        response.endHandler(v -> body.complete(received.toString()));
        response.exceptionHandler(body::completeExceptionally);
      })
      .onFailure(body::completeExceptionally);

    String stream = body.get(15, TimeUnit.SECONDS);
    node = null;
    assertThat(stream).contains("\"code\":\"shutting_down\"");
    assertThat(stream.strip()).endsWith("data: [DONE]");
  }
}
