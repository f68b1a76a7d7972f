package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.CostControls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Models other than the fusion model go to one upstream and come back unchanged. */
class PassThroughTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m").withCostControls(new CostControls(100, null, null)))
    .build();

  @Test
  void nonStreamedAnswerIsTheUpstreamJsonVerbatim(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", false));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("id")).isEqualTo("cmpl-gpt-x");
    assertThat(body.getString("model")).isEqualTo("gpt-x");
    assertThat(body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content")).isEqualTo("hello");
  }

  @Test
  void aPassThroughForwardsTheClientsN(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", false).put("n", 3));

    assertThat(response.statusCode()).isEqualTo(200);
    upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.n", equalTo("3"))));
  }

  @Test
  void streamedAnswerIsRelayedChunkByChunkWithOneDone(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.streamed("gpt-x", List.of("a", "b", "c"), 3, 3)));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", true));

    List<Sse.Frame> frames = Sse.parse(response.bodyAsString());
    // three content chunks, the finish chunk, the usage-only chunk, one [DONE]
    assertThat(frames).hasSize(6);
    assertThat(Sse.content(frames)).isEqualTo("abc");
    assertThat(frames.get(0).json().getString("model")).isEqualTo("gpt-x");
    assertThat(frames.stream().filter(Sse.Frame::isDone)).hasSize(1);
    assertThat(frames.get(frames.size() - 1).isDone()).isTrue();
  }

  @Test
  void upstreamErrorsKeepTheirStatus(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.error(401, "bad key")));

    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", stream));
      assertThat(response.statusCode()).isEqualTo(401);
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("message")).isEqualTo("Upstream error (401): bad key");
      assertThat(error.getString("code")).isEqualTo("upstream_error");
      assertThat(error.getString("message")).doesNotContain(Upstreams.KEY);
    }
  }

  @Test
  void streamCutWithoutDoneEndsWithAnErrorChunk(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
      .withBody(Upstreams.sseBody("gpt-x", List.of("partial"), 1, 1, false))));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", true)).bodyAsString());

    assertThat(Sse.shape(frames)).endsWith("error:upstream_error", "[DONE]");
  }

  @Test
  void clientFunctionToolsPassThroughEvenForTheFusionModel(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "tool time", 3, 1)));
    JsonObject request = Client.chat("openfusion", "weather?", false).put("tools", new JsonArray()
      .add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "weather"))));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("id")).isEqualTo("cmpl-m1");
    assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))).hasSize(1);
  }

  @Test
  void passThroughCeilingIsInjectedAndEnforcedForBothSpellings(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "ok", 1, 1)));

    client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", false));
    upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.max_tokens", equalTo("100"))));

    for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
      HttpResponse<Buffer> over = client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", false).put(field, 101));
      assertThat(over.statusCode()).isEqualTo(400);
      assertThat(over.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("max_tokens_exceeds_limit");
    }
    assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))).hasSize(1);
  }

  @Test
  void fallbackModelsAreTriedInOrderAndTheResponseSaysWhoAnswered(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.error(500, "down")));
    upstream.stubFor(Upstreams.call("gpt-y").willReturn(Upstreams.error(400, "context too long")));
    upstream.stubFor(Upstreams.call("gpt-z").willReturn(Upstreams.answer("gpt-z", "from z", 1, 1)));
    JsonObject request = Client.chat("gpt-x", "hi", false).put("models", new JsonArray().add("gpt-y").add("gpt-z"));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("model")).isEqualTo("gpt-z");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.models")));

    upstream.stubFor(Upstreams.call("gpt-z").withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
      .willReturn(Upstreams.streamed("gpt-z", List.of("from z"), 1, 1)));
    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", request.copy().put("stream", true)).bodyAsString());
    assertThat(frames.get(0).json().getString("model")).isEqualTo("gpt-z");
    assertThat(Sse.content(frames)).isEqualTo("from z");
  }

  @Test
  void rateLimitsAreRetriedHonouringRetryAfter(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("gpt-x").inScenario("limited").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
      .willReturn(Upstreams.error(429, "slow down").withHeader("Retry-After", "1")).willSetStateTo("open"));
    upstream.stubFor(Upstreams.call("gpt-x").inScenario("limited").whenScenarioStateIs("open")
      .willReturn(Upstreams.answer("gpt-x", "finally", 1, 1)));

    long started = System.currentTimeMillis();
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("gpt-x", "hi", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(System.currentTimeMillis() - started).isGreaterThanOrEqualTo(900);
    assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))).hasSize(2);
  }
}
