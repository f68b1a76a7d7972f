package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.DemoUpstream;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.DebateConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.QuorumConfig;
import io.openfusion.shared.config.SelfFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Every strategy and aggregator through the event-bus pipeline, streamed and not. */
class RecipesTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock().namedEvents().build();

  /** The client of the node this test started. */
  private Client client;

  private void start(List<String> members, UnaryOperator<OpenFusionConfig.Builder> recipe) {
    OpenFusionConfig base = Upstreams.panelRecipe(openfusion.upstream(), members, "judge-m");
    client = openfusion.start(recipe.apply(base.toBuilder()).build()).client();
  }

  private List<JsonObject> bodiesSentTo(String model) {
    List<JsonObject> bodies = new ArrayList<>();
    openfusion.upstream().findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo(model))))
      .forEach(r -> bodies.add(new JsonObject(r.getBodyAsString())));
    return bodies;
  }

  @Test
  void voteReturnsTheMajorityAnswerOfTheEarliestMemberWithoutAModelCall(WireMockServer upstream) {
    start(List.of("m1", "m2", "m3"), b -> b.aggregator(Aggregator.VOTE));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "I think it is 41.", 1, 1)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "Total: $1,042.00", 1, 1)));
    upstream.stubFor(Upstreams.call("m3").willReturn(Upstreams.answer("m3", "The answer is 1042", 1, 1)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "sum?", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "progress:panel_member", "progress:vote", "content", "finish:stop", "usage", "[DONE]");
    JsonObject vote = frames.stream().filter(f -> f.kind().equals("progress:vote")).findFirst().orElseThrow().json();
    assertThat(vote.getDouble("agreement")).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(0.001));
    assertThat(Sse.content(frames)).isIn("Total: $1,042.00", "The answer is 1042");
    assertThat(bodiesSentTo("judge-m")).isEmpty();

    JsonObject buffered = client.post("/v1/chat/completions", Client.chat("openfusion", "sum?", false)).bodyAsJsonObject();
    assertThat(buffered.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo("Total: $1,042.00");
    assertThat(buffered.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(6);
  }

  @Test
  void rankedReturnsTheRankersPickVerbatimAndCountsItsUsage(WireMockServer upstream) {
    start(List.of("m1", "m2"), b -> b.aggregator(Aggregator.RANKED));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "answer one", 1, 1)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "answer two", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.answer("judge-m", "2", 30, 1)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "progress:ranked", "content", "finish:stop", "usage", "[DONE]");
    assertThat(Sse.content(frames)).isIn("answer one", "answer two");
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonObject("ranker").getInteger("prompt_tokens")).isEqualTo(30);
    assertThat(usage.getJsonObject("total").getInteger("total_tokens")).isEqualTo(4 + 31);
    JsonObject rankerBody = bodiesSentTo("judge-m").get(0);
    assertThat(rankerBody.getInteger("max_tokens")).isEqualTo(8);
    assertThat(rankerBody.getBoolean("stream")).isFalse();
  }

  @Test
  void aFailingRankerFallsBackToTheFirstAnswerAndStillEndsTheStream(WireMockServer upstream) {
    start(List.of("m1", "m2"), b -> b.aggregator(Aggregator.RANKED));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "answer one", 1, 1)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "answer two", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.error(500, "ranker down")));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());

    assertThat(Sse.shape(frames)).endsWith("progress:ranked", "content", "finish:stop", "usage", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("answer one");
    JsonObject ranked = frames.stream().filter(f -> f.kind().equals("progress:ranked")).findFirst().orElseThrow().json();
    assertThat(ranked.getString("fallback")).contains("ranker down");
  }

  @Test
  void debateRevisesAnswersShowsRoundsAndFusesTheRevisedAnswers(WireMockServer upstream) {
    start(List.of("m1", "m2"), b -> b.strategy(Strategy.DEBATE).debate(new DebateConfig(1)).exposePanel(true));
    upstream.stubFor(Upstreams.call("m1").withRequestBody(notContaining("Other experts")).willReturn(Upstreams.answer("m1", "first m1", 10, 10)));
    upstream.stubFor(Upstreams.call("m2").withRequestBody(notContaining("Other experts")).willReturn(Upstreams.answer("m2", "first m2", 10, 10)));
    upstream.stubFor(Upstreams.call("m1").withRequestBody(containing("Other experts")).willReturn(Upstreams.answer("m1", "revised m1", 20, 5)));
    upstream.stubFor(Upstreams.call("m2").withRequestBody(containing("Other experts")).willReturn(Upstreams.answer("m2", "revised m2", 20, 5)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("fused"), 1, 1)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "progress:debate", "progress:debate_member", "progress:debate_member", "panel_answer", "panel_answer",
      "progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    assertThat(frames.stream().filter(f -> "panel_answer".equals(f.event())).map(f -> f.json().getString("content")))
      .containsExactlyInAnyOrder("revised m1", "revised m2");
    String judgePrompt = bodiesSentTo("judge-m").get(0).encode();
    assertThat(judgePrompt).contains("revised m1", "revised m2").doesNotContain("first m1");
    String revision = bodiesSentTo("m1").stream().map(JsonObject::encode).filter(s -> s.contains("Other experts")).findFirst().orElseThrow();
    assertThat(revision).contains("first m1", "first m2");
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonObject("panel_total").getInteger("prompt_tokens")).isEqualTo(60);
  }

  @Test
  void selfFusionSamplesTheFirstMemberNTimesWithSpreadAndSeeds(WireMockServer upstream) {
    start(List.of("m1"), b -> b.strategy(Strategy.SELF_FUSION).selfFusion(new SelfFusionConfig(3, List.of(0.3, 0.7, 1.0), true)));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "sample", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("fused"), 1, 1)));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "q", false));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonObject> calls = bodiesSentTo("m1");
    assertThat(calls).hasSize(3);
    assertThat(calls.stream().map(c -> c.getDouble("temperature"))).containsExactlyInAnyOrder(0.3, 0.7, 1.0);
    assertThat(calls.stream().map(c -> c.getInteger("seed"))).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void pipelineChainsStepsFillsPlaceholdersStreamsTheLastAndSumsUsage(WireMockServer upstream) {
    List<PipelineStep> steps = List.of(
      new PipelineStep("draft", PipelineStep.SOLO, "drafter", null),
      new PipelineStep("final", PipelineStep.FUSE, null, "Improve this draft: {draft}"));
    start(List.of("m1", "m2"), b -> b.strategy(Strategy.PIPELINE).pipeline(new PipelineConfig(steps))
      .costControls(new CostControls(64, null, null)));
    upstream.stubFor(Upstreams.call("drafter").willReturn(Upstreams.answer("drafter", "DRAFT-TEXT", 5, 5)));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "a1", 1, 1)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "a2", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("final ", "answer"), 7, 2)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "write", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("progress:pipeline_step", "progress:pipeline_step", "progress:panel_member",
      "progress:panel_member", "progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("final answer");
    assertThat(bodiesSentTo("m1").get(0).getJsonArray("messages").getJsonObject(0).getString("content"))
      .isEqualTo("Improve this draft: DRAFT-TEXT");
    assertThat(bodiesSentTo("drafter").get(0).getInteger("max_tokens")).isEqualTo(64);
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonObject("total").getInteger("total_tokens")).isEqualTo(10 + 4 + 9);
    assertThat(usage.getJsonArray("steps")).hasSize(4);
  }

  @Test
  void pipelineWithASoloLastStepStreamsItsDeltas(WireMockServer upstream) {
    List<PipelineStep> steps = List.of(new PipelineStep("only", PipelineStep.SOLO, "writer", null));
    start(List.of("m1"), b -> b.strategy(Strategy.PIPELINE).pipeline(new PipelineConfig(steps)));
    upstream.stubFor(Upstreams.call("writer").willReturn(Upstreams.streamed("writer", List.of("he", "llo"), 3, 2)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "hi", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("progress:pipeline_step", "content", "finish:stop", "usage", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("hello");
    assertThat(frames.get(1).json().getString("model")).isEqualTo("openfusion");
  }

  @Test
  void analysisIsSplitFromTheAnswerEvenWhenTheSentinelIsSplitAcrossChunks(WireMockServer upstream) {
    start(List.of("m1"), b -> b.strategy(Strategy.PANEL).emitAnalysis(true));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "a", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m",
      List.of("The answer.\n===ANAL", "YSIS===\n{\"consensus\":\"all agree\",", "\"blind_spots\":[\"x\"]}"), 1, 1)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());

    assertThat(Sse.content(frames)).isEqualTo("The answer.\n");
    JsonObject analysis = frames.stream().filter(f -> "analysis".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(analysis.getString("consensus")).isEqualTo("all agree");
    assertThat(Sse.shape(frames)).endsWith("finish:stop", "analysis", "usage", "[DONE]");

    JsonObject buffered = client.post("/v1/chat/completions", Client.chat("openfusion", "q", false)).bodyAsJsonObject();
    assertThat(buffered.getJsonObject("analysis").getJsonArray("blind_spots")).containsExactly("x");
    assertThat(buffered.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content")).isEqualTo("The answer.\n");
  }

  @Test
  void overridesPickModelsOnlyAndCanOnlyLowerTheCeilings(WireMockServer upstream) {
    start(List.of("m1"), b -> b.strategy(Strategy.PANEL).allowRequestOverrides(true).costControls(new CostControls(null, 100, null)));
    upstream.stubFor(Upstreams.call("x1").willReturn(Upstreams.answer("x1", "a", 1, 1)));
    upstream.stubFor(Upstreams.call("x2").willReturn(Upstreams.answer("x2", "b", 1, 1)));
    upstream.stubFor(Upstreams.call("j2").willReturn(Upstreams.streamed("j2", List.of("ok"), 1, 1)));

    JsonObject raise = Client.chat("openfusion", "q", false).put("openfusion", new JsonObject()
      .put("panel", new JsonArray().add("x1").add("x2")).put("judge", "j2").put("max_tokens", 500));
    assertThat(client.post("/v1/chat/completions", raise).statusCode()).isEqualTo(200);
    assertThat(bodiesSentTo("x1").get(0).getInteger("max_tokens")).isEqualTo(100);
    assertThat(bodiesSentTo("j2")).hasSize(1);
    assertThat(bodiesSentTo("m1")).isEmpty();

    upstream.resetRequests();
    JsonObject lower = Client.chat("openfusion", "q", false).put("openfusion", new JsonObject()
      .put("panel", new JsonArray().add("x1")).put("max_tokens", 40));
    client.post("/v1/chat/completions", lower);
    assertThat(bodiesSentTo("x1").get(0).getInteger("max_tokens")).isEqualTo(40);

    JsonArray seven = new JsonArray();
    for (int i = 0; i < 7; i++) {
      seven.add("x" + i);
    }
    HttpResponse<Buffer> tooMany = client.post("/v1/chat/completions",
      Client.chat("openfusion", "q", false).put("openfusion", new JsonObject().put("panel", seven)));
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_override");
  }

  @Test
  void quorumCutsTheStragglerAndClosesItsConnection(WireMockServer upstream) {
    DemoUpstream demo = DemoUpstream.start(DemoOptions.instant());
    openfusion.onClose("the demo provider", demo::stop);
    UpstreamConfig slow = new UpstreamConfig(demo.baseUrl(), "", DemoProvider.SLOW_MODEL, null, Provider.OPENAI);
    start(List.of("m1", "m2"), b -> {
      OpenFusionConfig c = b.build();
      List<UpstreamConfig> panel = new ArrayList<>(c.panel());
      panel.add(slow);
      return b.strategy(Strategy.PANEL).panel(panel).quorum(new QuorumConfig(2, 200));
    });
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "a", 1, 1)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "b", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("ok"), 1, 1)));

    long started = System.currentTimeMillis();
    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());
    long elapsed = System.currentTimeMillis() - started;

    assertThat(elapsed).isLessThan(10_000);
    assertThat(Sse.shape(frames)).endsWith("progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    JsonObject cut = frames.stream().filter(f -> f.kind().equals("progress:panel_member") && !f.json().getBoolean("ok"))
      .findFirst().orElseThrow().json();
    assertThat(cut.getString("model")).isEqualTo(DemoProvider.SLOW_MODEL);
    assertThat(cut.getBoolean("cut")).isTrue();
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonArray("panel").stream().map(o -> (JsonObject) o).filter(o -> o.getBoolean("estimated", false))).hasSize(1);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() -> demo.cancelled() >= 1);
    assertThat(demo.inFlight()).isZero();
  }


  @Test
  void openRouterFusionPluginShapeMapsOntoTheOverride(WireMockServer upstream) {
    start(List.of("m1"), b -> b.strategy(Strategy.PANEL).allowRequestOverrides(true));
    upstream.stubFor(Upstreams.call("x1").willReturn(Upstreams.answer("x1", "a", 1, 1)));
    upstream.stubFor(Upstreams.call("x2").willReturn(Upstreams.answer("x2", "b", 1, 1)));
    upstream.stubFor(Upstreams.call("outer").willReturn(Upstreams.streamed("outer", List.of("fused"), 1, 1)));
    JsonObject request = Client.chat("outer", "q", false).put("plugins", new JsonArray()
      .add(new JsonObject().put("id", "fusion").put("analysis_models", new JsonArray().add("x1").add("x2"))));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo("fused");
    assertThat(bodiesSentTo("x1")).hasSize(1);
    assertThat(bodiesSentTo("x2")).hasSize(1);
    assertThat(bodiesSentTo("outer").get(0).containsKey("plugins")).isFalse();
  }

  @Test
  void withoutFallbackAJudgeFailureEndsTheStreamWithJudgeStreamError(WireMockServer upstream) {
    start(List.of("m1"), b -> b.strategy(Strategy.PANEL)
      .judge(new io.openfusion.shared.config.JudgeConfig(b.build().judge().upstream(), 120_000, false)));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "a", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.error(503, "judge overloaded")));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "q", true)).bodyAsString());
    assertThat(Sse.shape(frames)).endsWith("progress:synthesis", "error:judge_stream_error", "[DONE]");

    HttpResponse<Buffer> buffered = client.post("/v1/chat/completions", Client.chat("openfusion", "q", false));
    assertThat(buffered.statusCode()).isEqualTo(502);
    assertThat(buffered.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("judge_stream_error");
  }

  @Test
  void theResponseCacheAnswersARepeatFromMemoryForTheSameCallerOnly(WireMockServer upstream) {
    start(List.of("m1"), b -> b.strategy(Strategy.PANEL)
      .responseCache(new io.openfusion.shared.config.ResponseCacheConfig(true, 300, 16)));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "a", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("fused once"), 5, 2)));

    JsonObject first = client.post("/v1/chat/completions", Client.chat("openfusion", "same question", false)).bodyAsJsonObject();
    JsonObject second = client.post("/v1/chat/completions", Client.chat("openfusion", "same question", false)).bodyAsJsonObject();
    List<Sse.Frame> streamed = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "same question", true)).bodyAsString());

    assertThat(first.containsKey("cached")).isFalse();
    assertThat(second.getBoolean("cached")).isTrue();
    assertThat(second.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content")).isEqualTo("fused once");
    assertThat(Sse.content(streamed)).isEqualTo("fused once");
    assertThat(bodiesSentTo("judge-m")).hasSize(1);
    client.post("/v1/chat/completions", Client.chat("openfusion", "another question", false));
    assertThat(bodiesSentTo("judge-m")).hasSize(2);

    // a streamed answer is stored too, and serves a later buffered request
    List<Sse.Frame> streamedFirst = Sse.parse(client.post("/v1/chat/completions",
      Client.chat("openfusion", "streamed first", true)).bodyAsString());
    JsonObject replayed = client.post("/v1/chat/completions", Client.chat("openfusion", "streamed first", false)).bodyAsJsonObject();
    assertThat(Sse.content(streamedFirst)).isEqualTo("fused once");
    assertThat(replayed.getBoolean("cached")).isTrue();
    assertThat(replayed.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content")).isEqualTo("fused once");
    assertThat(bodiesSentTo("judge-m")).hasSize(3);
  }

  @Test
  void theEstimateCountsEveryCallTheRecipeWouldMake() {
    start(List.of("m1", "m2"), b -> b.strategy(Strategy.DEBATE).debate(new DebateConfig(2))
      .costControls(new CostControls(null, 100, 200)));

    JsonObject estimate = client.post("/v1/estimate", Client.chat("openfusion", "x".repeat(400), false)).bodyAsJsonObject();

    // 2 first answers + 2 rounds x 2 revisions + 1 judge
    assertThat(estimate.getInteger("calls")).isEqualTo(7);
    assertThat(estimate.getInteger("input_tokens")).isEqualTo(100);
    assertThat(estimate.getInteger("max_output_tokens")).isEqualTo(6 * 100 + 200);
  }
}
