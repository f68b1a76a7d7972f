package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The Auto Router in the request path, and a native Anthropic panel member. */
class RoutingTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(RoutingTest::recipe)
    .stubs(RoutingTest::stubs)
    .namedEvents()
    .build();

  private static OpenFusionConfig recipe(WireMockServer upstream) {
    String url = Upstreams.baseUrl(upstream);
    OpenFusionConfig base = Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m");
    List<UpstreamConfig> panel = List.of(base.panel().get(0),
      new UpstreamConfig(url, Upstreams.KEY, "claude-x", "claude", Provider.ANTHROPIC));
    RouterConfig router = new RouterConfig(true, RouterConfig.MODE_HEURISTIC, 280, RouterConfig.DEFAULT_FUSE_KEYWORDS, null, 4,
      List.of(new RouteModel("cheap-m", RouteModel.FAST, null, null), new RouteModel("strong-m", RouteModel.STRONG, null, null)));
    return base.toBuilder().strategy(Strategy.PANEL).panel(panel).router(router)
      .judge(new JudgeConfig(base.judge().upstream(), 120_000)).build();
  }

  private static void stubs(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "openai member", 3, 2)));
    upstream.stubFor(post("/v1/messages").willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
      new JsonObject().put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "claude-x")
        .put("content", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "text").put("text", "anthropic member")))
        .put("stop_reason", "end_turn").put("usage", new JsonObject().put("input_tokens", 11).put("output_tokens", 4)).encode())));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("fused"), 1, 1)));
    upstream.stubFor(Upstreams.call("cheap-m").willReturn(Upstreams.answer("cheap-m", "quick answer", 1, 1)));
  }

  @Test
  void aShortSimplePromptIsAnsweredByTheCheapRouteModel(WireMockServer upstream, Client client) {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "hi there", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("model")).isEqualTo("cheap-m");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/messages")));
  }

  @Test
  void anAnalyticalPromptIsFusedAcrossOpenAiAndAnthropicMembers(WireMockServer upstream, Client client) {
    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions",
      Client.chat("openfusion", "Compare the trade-offs of these two designs", true)).bodyAsString());

    assertThat(Sse.shape(frames)).endsWith("progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    upstream.verify(1, postRequestedFor(urlEqualTo("/v1/messages")).withHeader("x-api-key", equalTo(Upstreams.KEY))
      .withHeader("anthropic-version", equalTo("2023-06-01")));
    String judgeBody = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).stream()
      .map(r -> r.getBodyAsString()).filter(b -> b.contains("judge-m")).findFirst().orElseThrow();
    assertThat(judgeBody).contains("anthropic member", "openai member");
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonObject("panel_total").getInteger("prompt_tokens")).isEqualTo(3 + 11);
  }

  @Test
  void outcomesAreLearnedPerRouteAndTier(Client client) {
    client.post("/v1/chat/completions", Client.chat("openfusion", "hello", false));
    JsonObject outcomes = client.get("/v1/routing/outcomes").bodyAsJsonObject().getJsonObject("outcomes");
    assertThat(outcomes.getJsonObject("pass_through/fast").getInteger("count")).isGreaterThanOrEqualTo(1);
  }
}
