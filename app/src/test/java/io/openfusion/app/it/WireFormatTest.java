package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fused stream looks like on the wire: by default only standard {@code chat.completion.chunk} frames and
 * {@code [DONE]}, with progress as SSE comments; named events only for clients (or servers) that opt in.
 */
class WireFormatTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m"))
    .node("named by default", upstream -> {
      OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
      return recipe.withServer(recipe.server().withNamedEvents(true));
    })
    .stubs(Upstreams::stubFusion)
    .build();

  @Test
  void byDefaultAStreamHoldsOnlyChunksCommentsAndDone(Client client) {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital of France?", true));

    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.bodyAsString();
    assertPureOpenAi(body);
    assertThat(body).contains(": progress {\"stage\":\"panel\"");
    List<Sse.Frame> frames = Sse.parse(body);
    assertThat(Sse.shape(frames)).containsExactly("content", "finish:stop", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("The capital is Paris.");
  }

  /**
   * Clients that turn every chunk into text (Spring AI 1.x's {@code stream(p).map(r -> r.getResult().getOutput().getText())},
   * a page doing {@code text += delta.content}) fail on a chunk whose delta has no content; a fused stream has none.
   */
  @Test
  void everyChunkOfAFusedStreamCarriesContentTheFinishChunkAnEmptyOne(Client client) {
    String body = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital of France?", true)).bodyAsString();

    List<Sse.Frame> chunks = Sse.parse(body).stream().filter(frame -> !frame.isDone()).toList();
    assertThat(chunks).isNotEmpty().allSatisfy(frame -> assertThat(
      frame.json().getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getValue("content")).isInstanceOf(String.class));
    JsonObject finish = chunks.get(chunks.size() - 1).json().getJsonArray("choices").getJsonObject(0);
    assertThat(finish.getString("finish_reason")).isEqualTo("stop");
    assertThat(finish.getJsonObject("delta")).isEqualTo(new JsonObject().put("content", ""));
  }

  @Test
  void includeUsageAddsTheStandardUsageChunkBeforeDone(Client client) {
    JsonObject request = Client.chat("openfusion", "Capital of France?", true)
      .put("stream_options", new JsonObject().put("include_usage", true));

    String body = client.post("/v1/chat/completions", request).bodyAsString();

    assertPureOpenAi(body);
    List<Sse.Frame> frames = Sse.parse(body);
    assertThat(Sse.shape(frames)).containsExactly("content", "finish:stop", "usage-chunk", "[DONE]");
    JsonObject usage = frames.get(frames.size() - 2).json().getJsonObject("usage");
    assertThat(usage.getInteger("total_tokens")).isEqualTo(22 + 9 + 107);
  }

  @Test
  void theHeaderOptsInToNamedEvents(Client client) {
    String body = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital of France?", true),
      "X-OpenFusion-Events", "on").bodyAsString();

    assertThat(Sse.shape(Sse.parse(body))).contains("progress:panel", "progress:synthesis", "usage");
  }

  @Test
  void theOpenfusionObjectOptsInEvenWhenOverridesAreDisabled(Client client) {
    JsonObject request = Client.chat("openfusion", "Capital of France?", true)
      .put("openfusion", new JsonObject().put("events", true));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Sse.shape(Sse.parse(response.bodyAsString()))).contains("progress:panel", "usage");
  }

  @Test
  void anOperatorMayMakeNamedEventsTheDefaultAndAClientMayStillOptOut() {
    JsonObject request = Client.chat("openfusion", "Capital of France?", true);
    Client namedClient = openfusion.client("named by default");

    String named = namedClient.post("/v1/chat/completions", request).bodyAsString();
    String optedOut = namedClient.post("/v1/chat/completions", request, "X-OpenFusion-Events", "off").bodyAsString();

    assertThat(Sse.shape(Sse.parse(named))).contains("progress:panel", "usage");
    assertPureOpenAi(optedOut);
  }

  @Test
  void aHeaderThatIsNeitherOnNorOffIsA400(Client client) {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", true),
      "X-OpenFusion-Events", "maybe");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_parameter");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("X-OpenFusion-Events");
  }

  /** Every line is a comment, a {@code data:} line holding a chunk with choices (or [DONE]), or blank. */
  private static void assertPureOpenAi(String body) {
    for (String line : body.split("\n")) {
      if (line.isEmpty() || line.startsWith(":")) {
        continue;
      }
      assertThat(line).startsWith("data: ");
      String data = line.substring(6);
      if (data.equals("[DONE]")) {
        continue;
      }
      JsonObject chunk = new JsonObject(data);
      assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(chunk.getJsonArray("choices")).isNotNull();
    }
  }
}
