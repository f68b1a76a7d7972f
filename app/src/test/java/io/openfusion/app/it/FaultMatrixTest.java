package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.TimeoutsConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream fault matrix (docs/FAULTS.md): every way an upstream can misbehave has one defined
 * outcome, a panel member degrades, a pass-through answers with an OpenAI-shaped error, and a stream
 * always ends with an error chunk and {@code [DONE]}, never a silent cut.
 */
class FaultMatrixTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(FaultMatrixTest::recipe)
    .stubs(upstream -> {
      upstream.stubFor(Upstreams.call("good").willReturn(Upstreams.answer("good", "fine answer", 1, 1)));
      upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("fused"), 1, 1)));
    })
    .namedEvents()
    .build();

  /** Members "good", "faulty" (each test says how it misbehaves) and "refused", on a port nothing listens on. */
  private static OpenFusionConfig recipe(WireMockServer upstream) {
    OpenFusionConfig base = Upstreams.panelRecipe(upstream, List.of("good", "faulty"), "judge-m");
    List<UpstreamConfig> panel = new ArrayList<>(base.panel());
    panel.add(new UpstreamConfig("http://127.0.0.1:" + closedPort() + "/v1", Upstreams.KEY, "refused", null, Provider.OPENAI));
    // short first-token and idle limits so stalled upstreams fail fast here
    TimeoutsConfig timeouts = new TimeoutsConfig(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20),
      Duration.ofSeconds(2), Duration.ofMillis(3000), Duration.ofMillis(700));
    return base.toBuilder().strategy(Strategy.PANEL).panel(panel).timeouts(timeouts).build();
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a fusion where member "faulty" misbehaves and returns its panel_member progress event. */
  private JsonObject faultyMemberOutcome() {
    List<Sse.Frame> frames = Sse.parse(openfusion.client().post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());
    assertThat(Sse.shape(frames)).endsWith("progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    return frames.stream().filter(f -> f.kind().equals("progress:panel_member") && "faulty".equals(f.json().getString("model")))
      .findFirst().orElseThrow().json();
  }

  private HttpResponse<Buffer> passThrough(boolean stream) {
    return openfusion.client().post("/v1/chat/completions", Client.chat("faulty", "q", stream));
  }

  private static String code(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  private static List<String> streamShape(HttpResponse<Buffer> response) {
    return Sse.shape(Sse.parse(response.bodyAsString()));
  }

  @Test
  void serverErrorDegradesTheMemberAndKeepsItsStatusOnPassThrough(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("faulty").willReturn(Upstreams.error(500, "boom")));

    assertThat(faultyMemberOutcome().getBoolean("ok")).isFalse();
    HttpResponse<Buffer> response = passThrough(false);
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(code(response)).isEqualTo("upstream_error");
  }

  @Test
  void connectionRefusedDegradesTheMemberAndIsA502OnPassThrough(Client client) {
    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());
    JsonObject refused = frames.stream().filter(f -> f.kind().equals("progress:panel_member") && "refused".equals(f.json().getString("model")))
      .findFirst().orElseThrow().json();
    assertThat(refused.getBoolean("ok")).isFalse();
    assertThat(refused.getString("error")).contains("Could not connect");
  }

  @Test
  void malformedJsonIsA502OnPassThroughAndDegradesTheMember(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("faulty").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
      .withBody("{not json")));

    assertThat(faultyMemberOutcome().getString("error")).contains("invalid JSON");
    HttpResponse<Buffer> response = passThrough(false);
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(code(response)).isEqualTo("upstream_error");
  }

  @Test
  void malformedSseLineAfterContentEndsWithAnErrorChunkThenDone(WireMockServer upstream) {
    String body = "data: " + Upstreams.chunk("faulty", new JsonObject().put("content", "par"), null).encode() + "\n\ndata: {oops\n\n";
    upstream.stubFor(Upstreams.call("faulty").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
      .withBody(body)));

    assertThat(streamShape(passThrough(true))).containsExactly("content", "error:upstream_error", "[DONE]");
  }

  @Test
  void emptyChoicesDegradesTheMemberAndPassesThroughVerbatim(WireMockServer upstream) {
    JsonObject empty = new JsonObject().put("id", "x").put("object", "chat.completion").put("model", "faulty").put("choices", new JsonArray());
    upstream.stubFor(Upstreams.call("faulty").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
      .withBody(empty.encode())));

    assertThat(faultyMemberOutcome().getString("error")).contains("no choices");
    HttpResponse<Buffer> response = passThrough(false);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("choices")).isEmpty();
  }

  @Test
  void aStreamThatNeverStartsTimesOutOnTheFirstTokenLimit(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("faulty").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
      .withBody("data: " + Upstreams.chunk("faulty", new JsonObject().put("content", "late"), null).encode() + "\n\n")
      .withFixedDelay(4_500)));

    HttpResponse<Buffer> response = passThrough(true);
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(code(response)).isEqualTo("timeout");
  }

  @Test
  void aSlowDripPastTheIdleLimitEndsWithAnErrorChunkThenDone(WireMockServer upstream) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      body.append("data: ").append(Upstreams.chunk("faulty", new JsonObject().put("content", "t" + i), null).encode()).append("\n\n");
    }
    // four pieces over six seconds: 1.5 s between pieces, past the 0.7 s idle limit
    upstream.stubFor(Upstreams.call("faulty").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
      .withBody(body.toString()).withChunkedDribbleDelay(4, 6_000)));

    List<String> shape = streamShape(passThrough(true));
    assertThat(shape).startsWith("content").endsWith("error:timeout", "[DONE]");
  }
}
