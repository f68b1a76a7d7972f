package io.openfusion.app.it;

import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.DemoUpstream;
import io.openfusion.app.testing.MidStream;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.RunningNode;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that goes away cancels every upstream call of its request, and a server that shuts down
 * ends open streams cleanly. The fake upstream counts the connections it saw closed early.
 */
class CancellationTest {

  @RegisterExtension
  static final NodeExtension<DemoUpstream> openfusion = NodeExtension
    // panel answers after 50 ms; streamed answers trickle a token every 250 ms, so they are still running when we leave
    .demo(DemoOptions.instant().withDelays(50, 250, 50))
    .build();

  /** The node this test started. */
  private RunningNode node;

  private void start(List<String> panelModels, long graceMs) {
    node = openfusion.start(openfusion.upstream().recipe(panelModels)
      .withServer(new ServerConfig("127.0.0.1", 0, 1 << 20).withShutdownGraceMs(graceMs)));
  }

  /** Sends a chat request and closes the connection once {@code marker} has arrived (or after {@code afterMs}). */
  private void sendAndLeave(JsonObject body, String marker, long afterMs) {
    MidStream.leave(openfusion.upstream().vertx(), node.port(), "/v1/chat/completions", body, marker, afterMs);
  }


  private static JsonObject chat(String model, boolean stream) {
    return Client.chat(model, "Tell me about rivers", stream);
  }

  @Test
  void leavingDuringThePanelCancelsEveryMemberCall(DemoUpstream demo) {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL), 1_000);
    long before = demo.cancelled();

    // leave once both members are surely waiting on the upstream
    sendAndLeave(chat("openfusion", true), null, 500);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingANonStreamedRequestCancelsItsCallsToo(DemoUpstream demo) {
    start(List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL), 1_000);
    long before = demo.cancelled();

    sendAndLeave(chat("openfusion", false), null, 300);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(2));
  }

  @Test
  void leavingWhileTheJudgeStreamsCancelsTheJudgeCall(DemoUpstream demo) {
    start(List.of("demo/atlas", "demo/birch"), 1_000);
    long before = demo.cancelled();

    sendAndLeave(chat("openfusion", true), "\"content\"", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
    assertThat(demo.inFlight()).isZero();
  }

  @Test
  void leavingAPassThroughStreamCancelsIt(DemoUpstream demo) {
    start(List.of("demo/atlas"), 1_000);
    long before = demo.cancelled();

    sendAndLeave(chat("demo/birch", true), "\"content\"", 0);

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(demo.cancelled() - before).isEqualTo(1));
  }

  @Test
  void shutdownEndsOpenStreamsWithAnErrorChunkThenDone() throws Exception {
    start(List.of("demo/atlas"), 800);

    String stream = MidStream.stopNodeAt(openfusion.upstream().vertx(), node, "/v1/chat/completions",
      chat("openfusion", true), "\"content\"");

    assertThat(stream).contains("\"code\":\"shutting_down\"");
    assertThat(stream.strip()).endsWith("data: [DONE]");
  }
}
