package io.openfusion.router.estimate;

import io.openfusion.shared.upstream.pricing.Pricing;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.shared.testkit.MutableClock;
import io.openfusion.router.recipe.RecipeResolver;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.DebateConfig;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.SelfFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every upstream has its own price list: the panel's at /a, the judge's at /b, the classifier's at
 * /c and the pass-through's at /p. The judge's model is listed only at /b, so it is priced only if
 * the estimator asks the judge's own upstream.
 */
@ExtendWith(VertxExtension.class)
class EstimatorTest {

  private static WireMockServer wm;

  private Pricing pricing;
  private String root;

  @BeforeAll
  static void startWireMock() {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
  }

  @AfterAll
  static void stopWireMock() {
    wm.stop();
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    wm.resetAll();
    root = "http://127.0.0.1:" + wm.port();
    list("/a", entry("m1", "0.000001", "0.000002") + "," + entry("m2", "0.000003", "0.000004"));
    list("/b", entry("j", "0.00001", "0.00002"));
    list("/c", entry("cls", "0.0000001", "0.0000001"));
    list("/p", entry("solo", "0.000002", "0.000002"));
    pricing = new Pricing(vertx, new MutableClock());
  }

  @AfterEach
  void tearDown() throws Exception {
    pricing.close().await(5, TimeUnit.SECONDS);
  }

  private static String entry(String id, String prompt, String completion) {
    return "{\"id\":\"" + id + "\",\"pricing\":{\"prompt\":\"" + prompt + "\",\"completion\":\"" + completion + "\"}}";
  }

  private static void list(String prefix, String entries) {
    wm.stubFor(get(urlEqualTo(prefix + "/models")).willReturn(okJson("{\"data\":[" + entries + "]}")));
  }

  private UpstreamConfig at(String prefix, String model) {
    return UpstreamConfig.of(root + prefix, "k", model);
  }

  /** Panel m1 + m2 at /a, judge j at /b, panel cap 1000, judge cap 500. */
  private OpenFusionConfig.Builder config() {
    return OpenFusionConfig.builder()
      .strategy(Strategy.PANEL)
      .aggregator(Aggregator.JUDGE)
      .panel(List.of(at("/a", "m1"), at("/a", "m2")))
      .judge(JudgeConfig.of(at("/b", "j")))
      .passThrough(at("/p", "solo"))
      .costControls(new CostControls(800, 1000, 500));
  }

  /** 400 user characters = 100 tokens; a 40-character system prompt adds 10. */
  private static JsonObject body(boolean withSystem) {
    JsonArray messages = new JsonArray();
    if (withSystem) {
      messages.add(new JsonObject().put("role", "system").put("content", "s".repeat(40)));
    }
    messages.add(new JsonObject().put("role", "user").put("content", "u".repeat(400)));
    return new JsonObject().put("model", "openfusion").put("messages", messages);
  }

  private JsonObject estimate(OpenFusionConfig config, JsonObject body, boolean routerMayRun) throws Exception {
    return new Estimator(config, pricing).estimate(new RecipeResolver(config).resolve(null), body, routerMayRun)
      .await(10, TimeUnit.SECONDS);
  }

  private static List<String> phases(JsonObject estimate) {
    return estimate.getJsonArray("breakdown").stream().map(e -> ((JsonObject) e).getString("phase")).toList();
  }

  private static JsonObject call(JsonObject estimate, int i) {
    return estimate.getJsonArray("breakdown").getJsonObject(i);
  }

  private static void assertCall(JsonObject call, String model, String phase, long in, long out, double usd) {
    assertThat(call.getString("model")).isEqualTo(model);
    assertThat(call.getString("phase")).isEqualTo(phase);
    assertThat(call.getLong("input_tokens")).isEqualTo(in);
    assertThat(call.getLong("output_tokens")).isEqualTo(out);
    assertThat(call.getDouble("cost_usd")).isCloseTo(usd, within(1e-9));
  }

  @Test
  void panelAndJudgeArePricedFromTheirOwnUpstreams() throws Exception {
    JsonObject e = estimate(config().build(), body(false), false);

    assertThat(e.getInteger("calls")).isEqualTo(3);
    assertThat(e.getJsonArray("models")).containsExactly("m1", "m2", "j");
    assertThat(e.getLong("input_tokens")).isEqualTo(100);
    assertThat(e.getLong("max_output_tokens")).isEqualTo(2500);
    assertCall(call(e, 0), "m1", "panel", 100, 1000, 0.0021);
    assertCall(call(e, 1), "m2", "panel", 100, 1000, 0.0043);
    assertCall(call(e, 2), "j", "judge", 2100, 500, 0.031);
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.0374);
    assertThat(wm.countRequestsMatching(getRequestedFor(urlEqualTo("/a/models")).build()).getCount()).isEqualTo(1);
  }

  @Test
  void selfFusionCountsEverySample() throws Exception {
    OpenFusionConfig config = config().strategy(Strategy.SELF_FUSION)
      .selfFusion(new SelfFusionConfig(3, List.of(0.3, 0.7), true)).build();

    JsonObject e = estimate(config, body(false), false);

    assertThat(e.getInteger("calls")).isEqualTo(4);
    assertThat(e.getJsonArray("models")).containsExactly("m1", "j");
    assertThat(phases(e)).containsExactly("panel", "panel", "panel", "judge");
    assertCall(call(e, 3), "j", "judge", 3100, 500, 0.041);
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.0473);
  }

  @Test
  void debateCountsEveryRevisionRound() throws Exception {
    OpenFusionConfig config = config().strategy(Strategy.DEBATE).debate(new DebateConfig(2)).build();

    JsonObject e = estimate(config, body(false), false);

    assertThat(e.getInteger("calls")).isEqualTo(7);
    assertThat(phases(e)).containsExactly("panel", "panel", "debate", "debate", "debate", "debate", "judge");
    assertThat(call(e, 2).getInteger("round")).isEqualTo(1);
    assertThat(call(e, 5).getInteger("round")).isEqualTo(2);
    assertCall(call(e, 2), "m1", "debate", 2100, 1000, 0.0041);
    assertCall(call(e, 3), "m2", "debate", 2100, 1000, 0.0103);
    assertThat(e.getLong("max_output_tokens")).isEqualTo(6500);
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.0662);
  }

  @Test
  void debateWithOneMemberHasNoRevisions() throws Exception {
    OpenFusionConfig config = config().strategy(Strategy.DEBATE).panel(List.of(at("/a", "m1"))).build();

    assertThat(phases(estimate(config, body(false), false))).containsExactly("panel", "judge");
  }

  @Test
  void rankedAddsOneShortRankerCall() throws Exception {
    JsonObject e = estimate(config().aggregator(Aggregator.RANKED).build(), body(false), false);

    assertThat(phases(e)).containsExactly("panel", "panel", "ranker");
    assertCall(call(e, 2), "j", "ranker", 2100, 8, 0.02116);
    assertThat(e.getLong("max_output_tokens")).isEqualTo(2008);
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.02756);
  }

  @Test
  void rankedWithOneAnswerNeedsNoRanker() throws Exception {
    OpenFusionConfig config = config().aggregator(Aggregator.RANKED).panel(List.of(at("/a", "m1"))).build();

    assertThat(phases(estimate(config, body(false), false))).containsExactly("panel");
  }

  @Test
  void voteMakesNoAggregatorCall() throws Exception {
    JsonObject e = estimate(config().aggregator(Aggregator.VOTE).build(), body(false), false);

    assertThat(phases(e)).containsExactly("panel", "panel");
    assertThat(e.getLong("max_output_tokens")).isEqualTo(2000);
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.0064);
  }

  @Test
  void pipelineCountsEveryStep() throws Exception {
    OpenFusionConfig config = config()
      .strategy(Strategy.PIPELINE)
      .aggregator(Aggregator.VOTE)
      .pipeline(new PipelineConfig(List.of(
        new PipelineStep("draft", PipelineStep.SOLO, null, null),
        new PipelineStep("review", PipelineStep.FUSE, null, "Review {draft}"),
        new PipelineStep("polish", PipelineStep.SOLO, null, null))))
      .build();

    JsonObject e = estimate(config, body(true), false);

    assertThat(e.getInteger("calls")).isEqualTo(5);
    assertThat(e.getLong("input_tokens")).isEqualTo(110);
    assertThat(phases(e)).containsExactly("solo", "panel", "panel", "judge", "solo");
    assertThat(e.getJsonArray("breakdown").stream().map(c -> ((JsonObject) c).getString("step")).toList())
      .containsExactly("draft", "review", "review", "review", "polish");
    // draft: the 400 non-system characters; its answer is capped by the pass-through ceiling (800).
    assertCall(call(e, 0), "solo", "solo", 100, 800, 0.0018);
    // review: request + "Review {draft}" (14 chars) = 103 tokens, plus the draft's 800.
    assertCall(call(e, 1), "m1", "panel", 903, 1000, 0.002903);
    assertCall(call(e, 2), "m2", "panel", 903, 1000, 0.006709);
    assertCall(call(e, 3), "j", "judge", 2903, 500, 0.03903);
    // polish: no system prompt, so it reads every earlier output: 100 + 800 + 500.
    assertCall(call(e, 4), "solo", "solo", 1400, 800, 0.0044);
    assertThat(e.getLong("max_output_tokens")).isEqualTo(4100);
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.05484);
  }

  @Test
  void pipelineSoloStepUsesItsOwnModel() throws Exception {
    list("/p", entry("solo", "0.000002", "0.000002") + "," + entry("other", "0", "0"));
    OpenFusionConfig config = config().strategy(Strategy.PIPELINE)
      .pipeline(new PipelineConfig(List.of(new PipelineStep("only", PipelineStep.SOLO, "other", null)))).build();

    JsonObject e = estimate(config, body(false), false);

    assertThat(e.getJsonArray("models")).containsExactly("other");
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.0);
  }

  private OpenFusionConfig.Builder routed(String mode, List<RouteModel> routeModels) {
    return config().router(new RouterConfig(true, mode, 280, List.of(), at("/c", "cls"), 4, routeModels));
  }

  @Test
  void countsTheRouterClassifierWhenItMayRun() throws Exception {
    JsonObject e = estimate(routed(RouterConfig.MODE_MODEL, List.of()).build(), body(true), true);

    assertThat(phases(e)).containsExactly("router", "panel", "panel", "judge");
    // The classifier reads the user text only (400 characters, not the system prompt) plus its own
    // prompt, and writes 4 tokens.
    assertCall(call(e, 0), "cls", "router", 200, 4, 0.0000204);
    // The fusion itself reads 110 tokens: 0.00211 + 0.00433 + 0.0311, plus the classifier's 0.0000204.
    assertThat(e.getDouble("cost_usd")).isEqualTo(0.03756);
  }

  @Test
  void theRouteModelPickerWritesAModelId() throws Exception {
    OpenFusionConfig config = routed(RouterConfig.MODE_MODEL, List.of(new RouteModel("fast/m", "fast", null, null))).build();

    assertThat(call(estimate(config, body(false), true), 0).getLong("output_tokens")).isEqualTo(24);
  }

  @Test
  void noClassifierCallWhenTheRouterCannotAskIt() throws Exception {
    assertThat(phases(estimate(routed(RouterConfig.MODE_MODEL, List.of()).build(), body(false), false)))
      .doesNotContain("router");
    assertThat(phases(estimate(routed(RouterConfig.MODE_HEURISTIC, List.of()).build(), body(false), true)))
      .doesNotContain("router");
    OpenFusionConfig disabled = config()
      .router(new RouterConfig(false, RouterConfig.MODE_MODEL, 280, List.of(), at("/c", "cls"), 4, List.of())).build();
    assertThat(phases(estimate(disabled, body(false), true))).doesNotContain("router");
  }

  @Test
  void costIsNullWhenOneModelIsUnpriced() throws Exception {
    OpenFusionConfig config = config().panel(List.of(at("/a", "m1"), at("/a", "unlisted"))).build();

    JsonObject e = estimate(config, body(false), false);

    assertThat(e.getValue("cost_usd")).isNull();
    assertThat(e.containsKey("cost_usd")).isTrue();
    assertThat(call(e, 0).getDouble("cost_usd")).isCloseTo(0.0021, within(1e-9));
    assertThat(call(e, 1).containsKey("cost_usd")).isTrue();
    assertThat(call(e, 1).getValue("cost_usd")).isNull();
    assertThat(e.getInteger("calls")).isEqualTo(3);
  }

  @Test
  void costIsNullWhenAnUpstreamHasNoPriceList() throws Exception {
    wm.stubFor(get(urlEqualTo("/b/models")).willReturn(aResponse().withStatus(404)));

    JsonObject e = estimate(config().build(), body(false), false);

    assertThat(e.getValue("cost_usd")).isNull();
    assertThat(call(e, 2).getValue("cost_usd")).isNull();
  }

  @Test
  void ceilingsFallBackTo1024() throws Exception {
    JsonObject e = estimate(config().costControls(CostControls.unlimited()).build(), body(false), false);

    assertCall(call(e, 0), "m1", "panel", 100, 1024, 0.000100 + 0.002048);
    assertThat(call(e, 2).getLong("input_tokens")).isEqualTo(100 + 2 * 1024);
    assertThat(call(e, 2).getLong("output_tokens")).isEqualTo(1024);
  }

  @Test
  void aClientOverrideIsEstimatedWithTheDefaultCredentials() throws Exception {
    OpenFusionConfig config = config().allowRequestOverrides(true).build();
    var recipe = new RecipeResolver(config).resolve(new JsonObject().put("panel", new JsonArray().add("m2")));

    JsonObject e = new Estimator(config, pricing).estimate(recipe, body(false), false).await(10, TimeUnit.SECONDS);

    assertThat(e.getJsonArray("models")).containsExactly("m2", "j");
    assertThat(e.getValue("cost_usd")).isNotNull();
  }

  @Test
  void aPassThroughIsOneCallWhoseOutputCountsEveryChoice() throws Exception {
    OpenFusionConfig config = config().build();
    JsonObject body = body(false).put("model", "solo").put("n", 3);

    JsonObject e = new Estimator(config, pricing).passThrough(new RecipeResolver(config).resolve(null), body)
      .await(10, TimeUnit.SECONDS);

    assertThat(e.getInteger("calls")).isEqualTo(1);
    // the prompt is billed once, the pass-through ceiling (800) once per choice
    assertCall(call(e, 0), "solo", "solo", 100, 3 * 800, 100 * 0.000002 + 2400 * 0.000002);
    assertThat(e.getLong("max_output_tokens")).isEqualTo(2400);
  }

  @Test
  void theWorstCaseOfAPassThroughReservesEveryChoice() throws Exception {
    OpenFusionConfig config = config().build();
    var recipe = new RecipeResolver(config).resolve(null);
    var target = new io.openfusion.shared.bus.UpstreamRef(io.openfusion.shared.bus.UpstreamRef.PASS_THROUGH, 0, null, "pass-through");

    WorstCase.Ceiling one = new WorstCase(config, pricing).passThrough(recipe, body(false), target, true).await(10, TimeUnit.SECONDS);
    WorstCase.Ceiling four = new WorstCase(config, pricing).passThrough(recipe, body(false).put("n", 4), target, true)
      .await(10, TimeUnit.SECONDS);

    assertThat(one.outputTokens()).isEqualTo(800);
    assertThat(four.outputTokens()).isEqualTo(4 * 800);
    assertThat(four.inputTokens()).isEqualTo(one.inputTokens());
    assertThat(four.usd()).isGreaterThan(one.usd());
  }
}
