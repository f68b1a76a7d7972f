package io.openfusion.app.it;

import io.openfusion.app.testing.DemoUpstream;
import io.openfusion.app.testing.MidStream;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.RunningNode;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /v1/messages} and {@code /v1/responses} run on the chat path, so a client that goes away cancels every
 * upstream call of its request, and a shutdown ends an open stream with the API's own error event.
 */
class OtherApisCancellationTest {

  @RegisterExtension
  static final NodeExtension<DemoUpstream> openfusion = NodeExtension
    // panel answers after 50 ms; streamed answers trickle a token every 250 ms, so they are still running when we leave
    .demo(DemoOptions.instant().withDelays(50, 250, 50))
    .build();

  /** The node this test started. */
  private RunningNode node;

  private void start(List<String> panelModels) {
    node = openfusion.start(openfusion.upstream().recipe(panelModels)
      .withServer(new ServerConfig("127.0.0.1", 0, 1 << 20).withShutdownGraceMs(800)));
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
    MidStream.leave(openfusion.upstream().vertx(), node.port(), path, body, marker, afterMs);
  }


  @Test
  void leavingAMessagesStreamDuringThePanelCancelsEveryMemberCall(DemoUpstream demo) {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL));
    long before = demo.cancelled();

    sendAndLeave("/v1/messages", message("openfusion", true), null, 500);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingABufferedResponsesRequestCancelsItsCalls(DemoUpstream demo) {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL));
    long before = demo.cancelled();

    sendAndLeave("/v1/responses", response("openfusion", false), null, 300);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
  }

  @Test
  void leavingWhileTheJudgeStreamsAResponseCancelsTheJudgeCall(DemoUpstream demo) {
    start(List.of("demo/atlas", "demo/birch"));
    long before = demo.cancelled();

    sendAndLeave("/v1/responses", response("openfusion", true), "response.output_text.delta", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingAPassedThroughMessagesStreamCancelsIt(DemoUpstream demo) {
    start(List.of("demo/atlas"));
    long before = demo.cancelled();

    sendAndLeave("/v1/messages", message("demo/birch", true), "text_delta", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void shutdownEndsAnOpenMessagesStreamWithAnErrorEvent() throws Exception {
    start(List.of("demo/atlas"));

    String stream = MidStream.stopNodeAt(openfusion.upstream().vertx(), node, "/v1/messages",
      message("openfusion", true), "text_delta");

    assertThat(stream.strip()).endsWith("\"type\":\"overloaded_error\",\"message\":\"The server is shutting down; retry the request\"}}");
    assertThat(stream).contains("event: error").doesNotContain("message_stop");
  }
}
