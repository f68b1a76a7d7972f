package io.openfusion.autorouter;

import static io.openfusion.autorouter.RouterConfigs.assistant;
import static io.openfusion.autorouter.RouterConfigs.chat;
import static io.openfusion.autorouter.RouterConfigs.config;
import static io.openfusion.autorouter.RouterConfigs.parts;
import static io.openfusion.autorouter.RouterConfigs.route;
import static io.openfusion.autorouter.RouterConfigs.router;
import static io.openfusion.autorouter.RouterConfigs.system;
import static io.openfusion.autorouter.RouterConfigs.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.RouterConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule-based decision, through {@link AutoRouter#decide} (no classifier, so no network). */
class HeuristicTest {

  private final LocalOutcomeStore outcomes = new LocalOutcomeStore();

  private RouteDecision decide(String mode, JsonObject body) {
    AutoRouter router = new AutoRouter(config(router(mode, List.of())), null, outcomes);
    // no classifier: the future is already complete
    return router.decide(body, null, 0).result();
  }

  private RouteDecision heuristic(String userText) {
    return decide(RouterConfig.MODE_HEURISTIC, chat(user(userText)));
  }

  @Test
  void shortPlainPromptGoesSolo() {
    RouteDecision d = heuristic("What is the capital of France?");
    assertThat(d.fuse()).isFalse();
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_SHORT);
    assertThat(d.tier()).isEqualTo(Tier.FAST);
    assertThat(d.soloTarget()).as("no route models: the default pass-through").isNull();
    assertThat(d.route()).isEqualTo(OutcomeStore.PASS_THROUGH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Why is the sky blue?", "why", "WHY not?", "so... why-not", "Give me the Pros  and\ncons of tea",
    "Please critique this haiku", "Explain monads"})
  void keywordsMatchAsWholeWordsAnyCase(String prompt) {
    RouteDecision d = heuristic(prompt);
    assertThat(d.fuse()).isTrue();
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_KEYWORD);
    assertThat(d.route()).isEqualTo(OutcomeStore.FUSION);
    assertThat(d.soloTarget()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"whyever not", "the researcher's hat", "redesigned logo", "recommendation list?", "prosandcons",
    "explained_it"})
  void keywordsInsideOtherWordsDoNotMatch(String prompt) {
    RouteDecision d = heuristic(prompt);
    assertThat(d.fuse()).as(prompt).isFalse();
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_SHORT);
  }

  @Test
  void customKeywordsWithPunctuationMatchWholeToo() {
    RouterConfig r = new RouterConfig(true, "heuristic", 280, List.of("c++", " ", "step by step"), null, 4, List.of());
    AutoRouter router = new AutoRouter(config(r), null, outcomes);
    assertThat(router.decide(chat(user("templates in C++?")), null, 0).result().reason())
      .isEqualTo(RouteDecision.REASON_KEYWORD);
    assertThat(router.decide(chat(user("go Step By Step")), null, 0).result().fuse()).isTrue();
    assertThat(router.decide(chat(user("abc++ is not a language")), null, 0).result().fuse()).isFalse();
    assertThat(router.decide(chat(user("why")), null, 0).result().fuse()).as("defaults replaced").isFalse();
  }

  @Test
  void lengthAtMinCharsFuses() {
    String below = "a".repeat(279);
    assertThat(heuristic(below).fuse()).isFalse();
    RouteDecision at = heuristic("a".repeat(280));
    assertThat(at.fuse()).isTrue();
    assertThat(at.reason()).isEqualTo(RouteDecision.REASON_LENGTH);
    assertThat(at.tier()).isEqualTo(Tier.BALANCED);
  }

  @Test
  void lengthCountsCodePoints() {
    // 279 emoji are 558 UTF-16 chars but 279 characters, as a user counts them
    assertThat(heuristic("\uD83D\uDE00".repeat(279)).fuse()).isFalse();
  }

  @Test
  void codeFenceFuses() {
    RouteDecision d = heuristic("fix:\n```\nx = 1\n```");
    assertThat(d.fuse()).isTrue();
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_CODE_FENCE);
    assertThat(d.tier()).isEqualTo(Tier.STRONG);
  }

  @Test
  void alwaysAndNeverIgnoreThePrompt() {
    RouteDecision always = decide(RouterConfig.MODE_ALWAYS, chat(user("hi")));
    assertThat(always.fuse()).isTrue();
    assertThat(always.reason()).isEqualTo(RouteDecision.REASON_ALWAYS);
    RouteDecision never = decide(RouterConfig.MODE_NEVER, chat(user("```code``` why compare " + "x".repeat(900))));
    assertThat(never.fuse()).isFalse();
    assertThat(never.reason()).isEqualTo(RouteDecision.REASON_NEVER);
    assertThat(never.tier()).isEqualTo(Tier.STRONG);
  }

  @Test
  void onlyTheLatestUserTurnCounts() {
    JsonObject body = chat(system("You are terse; explain why, compare, research."),
      user("Why does this fail? " + "x".repeat(400)),
      assistant("Because of a trade-off. " + "y".repeat(400)),
      user("thanks!"));
    RouteDecision d = decide(RouterConfig.MODE_HEURISTIC, body);
    assertThat(d.fuse()).isFalse();
    assertThat(d.tier()).isEqualTo(Tier.FAST);
    assertThat(AutoRouter.latestUserText(body.getJsonArray("messages"))).isEqualTo("thanks!");
  }

  @Test
  void multimodalTextPartsAreJudged() {
    JsonArray content = parts("look at this", "why is it red?");
    content.add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:...why")));
    JsonObject body = chat(user(content));
    assertThat(AutoRouter.latestUserText(body.getJsonArray("messages"))).isEqualTo("look at this\nwhy is it red?");
    assertThat(decide(RouterConfig.MODE_HEURISTIC, body).reason()).isEqualTo(RouteDecision.REASON_KEYWORD);
    JsonObject imageOnly = chat(user(new JsonArray().add(new JsonObject().put("type", "image_url"))));
    assertThat(decide(RouterConfig.MODE_HEURISTIC, imageOnly).reason()).isEqualTo(RouteDecision.REASON_SHORT);
  }

  @Test
  void missingOrOddMessagesReadAsEmpty() {
    assertThat(AutoRouter.latestUserText(null)).isEmpty();
    assertThat(AutoRouter.latestUserText(new JsonArray().add("x").add(new JsonObject().put("role", "user").put("content", 5))))
      .isEmpty();
    assertThat(decide(RouterConfig.MODE_HEURISTIC, new JsonObject()).reason()).isEqualTo(RouteDecision.REASON_SHORT);
  }

  @Test
  void learnedPreferenceNudgesShortPromptsTowardFusion() {
    for (int i = 0; i < 10; i++) {
      outcomes.record(OutcomeStore.FUSION, Tier.FAST, true);
      outcomes.record(OutcomeStore.PASS_THROUGH, Tier.FAST, false);
    }
    assertThat(outcomes.preferFuse(Tier.FAST)).isTrue();
    RouteDecision d = heuristic("hello there");
    assertThat(d.fuse()).isTrue();
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_LEARNED);
    assertThat(heuristic("a".repeat(250)).reason()).as("other tiers are unaffected").isEqualTo(RouteDecision.REASON_SHORT);
  }

  @Test
  void learnedPreferenceNeverOverridesModeNever() {
    for (int i = 0; i < 10; i++) {
      outcomes.record(OutcomeStore.FUSION, Tier.FAST, true);
      outcomes.record(OutcomeStore.PASS_THROUGH, Tier.FAST, false);
    }
    assertThat(decide(RouterConfig.MODE_NEVER, chat(user("hi"))).fuse()).isFalse();
  }

  @Test
  void soloPicksTheTiersRouteModel() {
    var models = List.of(route("small", "fast"), route("big", "strong"));
    AutoRouter router = new AutoRouter(config(router("heuristic", models)), null, outcomes);
    RouteDecision d = router.decide(chat(user("hi")), null, 0).result();
    assertThat(d.soloTarget()).isEqualTo(new UpstreamRef(UpstreamRef.ROUTE, 0, "small", "small"));
    RouteDecision never = new AutoRouter(config(router("never", models)), null, outcomes)
      .decide(chat(user("please debug this")), null, 0).result();
    assertThat(never.soloTarget()).isEqualTo(new UpstreamRef(UpstreamRef.ROUTE, 1, "big", "big"));
    assertThat(never.soloTarget().resolve(config(router("never", models))).baseUrl())
      .as("a route model without its own URL borrows the pass-through's").isEqualTo("https://pt.example/v1");
  }

  @Test
  void modelModeWithoutClassifierIsTheHeuristic() {
    RouteDecision d = decide(RouterConfig.MODE_MODEL, chat(user("why?")));
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_KEYWORD);
    assertThat(decide(RouterConfig.MODE_MODEL, chat(user("hi"))).reason()).isEqualTo(RouteDecision.REASON_SHORT);
  }
}
