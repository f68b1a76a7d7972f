package io.openfusion.router.cache;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.ToolsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseCacheKeyTest {

  private static final ToolsConfig TOOLS = new ToolsConfig(true, false, 5, "auto", List.of("a.com"), false);
  private static final CostControls CEILINGS = new CostControls(4000, 1024, 2048);

  /** One thing that can change the answer, applied to the baseline inputs. */
  private record Variant(UnaryOperator<Recipe> recipe, UnaryOperator<JsonObject> body, String tenant,
                         UnaryOperator<JsonObject> extra) {
  }

  private static PlannedMember member(int index, String model, JsonObject overrides) {
    return new PlannedMember(new UpstreamRef(UpstreamRef.PANEL, index, model, model), overrides);
  }

  private static Recipe recipe() {
    return new Recipe(Strategy.PANEL, Aggregator.JUDGE,
      List.of(member(0, "a/one", new JsonObject()), member(1, "b/two", new JsonObject().put("temperature", 0.3))),
      new UpstreamRef(UpstreamRef.JUDGE, 0, "j/judge", "judge"), false, false, CEILINGS, TOOLS);
  }

  private static JsonObject body() {
    return new JsonObject()
      .put("model", "openfusion")
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "be brief"))
        .add(new JsonObject().put("role", "user").put("content", "What is 2+2?")))
      .put("temperature", 0.7)
      .put("max_tokens", 500);
  }

  private static JsonObject extra() {
    return new JsonObject().put("debate_rounds", 1)
      .put("self_fusion", new JsonObject().put("n", 3).put("temperature_spread", new JsonArray().add(0.3).add(0.7))
        .put("seed_offset", true));
  }

  private static String key(Variant v) {
    return ResponseCacheKey.of(v.recipe().apply(recipe()), v.body().apply(body()), v.tenant(), v.extra().apply(extra()));
  }

  private static String baseline() {
    return ResponseCacheKey.of(recipe(), body(), "tenant-1", extra());
  }

  private static Recipe with(Recipe r, Strategy strategy, Aggregator aggregator, List<PlannedMember> members,
                             UpstreamRef judge, boolean exposePanel, boolean emitAnalysis, CostControls ceilings,
                             ToolsConfig tools) {
    return new Recipe(strategy != null ? strategy : r.strategy(), aggregator != null ? aggregator : r.aggregator(),
      members != null ? members : r.members(), judge != null ? judge : r.judge(), exposePanel, emitAnalysis,
      ceilings != null ? ceilings : r.ceilings(), tools != null ? tools : r.tools());
  }

  private static Arguments recipeChange(String name, UnaryOperator<Recipe> change) {
    return Arguments.of(Named.of(name, new Variant(change, b -> b, "tenant-1", e -> e)));
  }

  private static Arguments bodyChange(String name, UnaryOperator<JsonObject> change) {
    return Arguments.of(Named.of(name, new Variant(r -> r, change, "tenant-1", e -> e)));
  }

  private static Arguments extraChange(String name, UnaryOperator<JsonObject> change) {
    return Arguments.of(Named.of(name, new Variant(r -> r, b -> b, "tenant-1", change)));
  }

  private static List<PlannedMember> membersWith(int at, PlannedMember replacement) {
    List<PlannedMember> members = new ArrayList<>(recipe().members());
    members.set(at, replacement);
    return members;
  }

  private static ToolsConfig tools(boolean search, boolean fetch, int max, String engine, List<String> excluded,
                                   boolean judge) {
    return new ToolsConfig(search, fetch, max, engine, excluded, judge);
  }

  static Stream<Arguments> changes() {
    return Stream.of(
      bodyChange("messages", b -> b.put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "What is 2+3?")))),
      bodyChange("system prompt", b -> {
        b.getJsonArray("messages").getJsonObject(0).put("content", "be verbose");
        return b;
      }),
      recipeChange("strategy", r -> with(r, Strategy.DEBATE, null, null, null, false, false, null, null)),
      recipeChange("aggregator", r -> with(r, null, Aggregator.VOTE, null, null, false, false, null, null)),
      recipeChange("member model", r -> with(r, null, null,
        membersWith(0, member(0, "a/other", new JsonObject())), null, false, false, null, null)),
      recipeChange("member source", r -> with(r, null, null,
        membersWith(0, new PlannedMember(new UpstreamRef(UpstreamRef.DEFAULT, 0, "a/one", "a/one"), new JsonObject())),
        null, false, false, null, null)),
      recipeChange("member index", r -> with(r, null, null,
        membersWith(0, member(2, "a/one", new JsonObject())), null, false, false, null, null)),
      recipeChange("member body overrides", r -> with(r, null, null,
        membersWith(1, member(1, "b/two", new JsonObject().put("temperature", 0.9))), null, false, false, null, null)),
      recipeChange("member seed override", r -> with(r, null, null,
        membersWith(1, member(1, "b/two", new JsonObject().put("temperature", 0.3).put("seed", 2))), null, false, false,
        null, null)),
      recipeChange("member order", r -> with(r, null, null, List.of(r.members().get(1), r.members().get(0)), null,
        false, false, null, null)),
      recipeChange("one member fewer", r -> with(r, null, null, List.of(r.members().get(0)), null, false, false,
        null, null)),
      recipeChange("judge model", r -> with(r, null, null, null, new UpstreamRef(UpstreamRef.JUDGE, 0, "j/other", "judge"),
        false, false, null, null)),
      recipeChange("emit analysis", r -> with(r, null, null, null, null, false, true, null, null)),
      recipeChange("expose panel", r -> with(r, null, null, null, null, true, false, null, null)),
      recipeChange("web search", r -> with(r, null, null, null, null, false, false, null,
        tools(false, false, 5, "auto", List.of("a.com"), false))),
      recipeChange("web fetch", r -> with(r, null, null, null, null, false, false, null,
        tools(true, true, 5, "auto", List.of("a.com"), false))),
      recipeChange("tool max results", r -> with(r, null, null, null, null, false, false, null,
        tools(true, false, 6, "auto", List.of("a.com"), false))),
      recipeChange("tool engine", r -> with(r, null, null, null, null, false, false, null,
        tools(true, false, 5, "exa", List.of("a.com"), false))),
      recipeChange("tool excluded domains", r -> with(r, null, null, null, null, false, false, null,
        tools(true, false, 5, "auto", List.of("a.com", "b.com"), false))),
      recipeChange("tools apply to judge", r -> with(r, null, null, null, null, false, false, null,
        tools(true, false, 5, "auto", List.of("a.com"), true))),
      recipeChange("panel ceiling", r -> with(r, null, null, null, null, false, false,
        new CostControls(4000, 512, 2048), null)),
      recipeChange("judge ceiling", r -> with(r, null, null, null, null, false, false,
        new CostControls(4000, 1024, 1000), null)),
      recipeChange("pass-through ceiling", r -> with(r, null, null, null, null, false, false,
        new CostControls(null, 1024, 2048), null)),
      bodyChange("max_tokens", b -> b.put("max_tokens", 501)),
      bodyChange("max_completion_tokens", b -> b.put("max_completion_tokens", 300)),
      bodyChange("temperature", b -> b.put("temperature", 0.2)),
      bodyChange("top_p", b -> b.put("top_p", 0.9)),
      bodyChange("seed", b -> b.put("seed", 7)),
      bodyChange("n", b -> b.put("n", 2)),
      bodyChange("presence_penalty", b -> b.put("presence_penalty", 0.5)),
      bodyChange("frequency_penalty", b -> b.put("frequency_penalty", 0.5)),
      bodyChange("stop", b -> b.put("stop", new JsonArray().add("\n\n"))),
      bodyChange("logit_bias", b -> b.put("logit_bias", new JsonObject().put("50256", -100))),
      bodyChange("response_format", b -> b.put("response_format", new JsonObject().put("type", "json_object"))),
      bodyChange("an unknown parameter", b -> b.put("reasoning_effort", "high")),
      bodyChange("client web tool", b -> b.put("tools", new JsonArray().add(new JsonObject()
        .put("type", "openrouter:web_search")))),
      extraChange("debate rounds", e -> e.put("debate_rounds", 2)),
      extraChange("self-fusion n", e -> e.put("self_fusion", e.getJsonObject("self_fusion").copy().put("n", 4))),
      extraChange("self-fusion spread", e -> e.put("self_fusion", e.getJsonObject("self_fusion").copy()
        .put("temperature_spread", new JsonArray().add(0.3).add(0.8)))),
      extraChange("self-fusion seed offset", e -> e.put("self_fusion", e.getJsonObject("self_fusion").copy()
        .put("seed_offset", false))),
      Arguments.of(Named.of("tenant", new Variant(r -> r, b -> b, "tenant-2", e -> e))),
      Arguments.of(Named.of("no tenant", new Variant(r -> r, b -> b, null, e -> e))),
      Arguments.of(Named.of("empty tenant", new Variant(r -> r, b -> b, "", e -> e))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void changesWith(Variant variant) {
    assertThat(key(variant)).isNotEqualTo(baseline());
  }

  @Test
  void everyChangeGivesItsOwnKey() {
    Set<String> keys = new HashSet<>();
    List<Arguments> all = changes().toList();
    for (Arguments a : all) {
      @SuppressWarnings("unchecked")
      Variant v = ((Named<Variant>) a.get()[0]).getPayload();
      keys.add(key(v));
    }
    keys.add(baseline());
    assertThat(keys).hasSize(all.size() + 1);
  }

  @Test
  void isAStableSha256Hex() {
    assertThat(baseline()).matches("[0-9a-f]{64}").isEqualTo(baseline());
  }

  @Test
  void ignoresJsonKeyOrderAndNumberSpelling() {
    JsonObject reordered = new JsonObject()
      .put("max_tokens", 500.0)
      .put("temperature", 0.70)
      .put("messages", new JsonArray()
        .add(new JsonObject().put("content", "be brief").put("role", "system"))
        .add(new JsonObject().put("content", "What is 2+2?").put("role", "user")))
      .put("model", "openfusion");
    JsonObject extra = new JsonObject()
      .put("self_fusion", new JsonObject().put("seed_offset", true).put("temperature_spread", new JsonArray().add(0.3).add(0.7))
        .put("n", 3))
      .put("debate_rounds", 1L);

    assertThat(ResponseCacheKey.of(recipe(), reordered, "tenant-1", extra)).isEqualTo(baseline());
  }

  @Test
  void ignoresTransportOnlyFields() {
    JsonObject streamed = body().put("stream", true).put("stream_options", new JsonObject().put("include_usage", true))
      .put("model", "something-else");

    assertThat(ResponseCacheKey.of(recipe(), streamed, "tenant-1", extra())).isEqualTo(baseline());
  }

  @Test
  void treatsANullParameterAsAbsent() {
    assertThat(ResponseCacheKey.of(recipe(), body().putNull("top_p"), "tenant-1", extra())).isEqualTo(baseline());
  }

  @Test
  void theShortFormHasNoExtras() {
    assertThat(ResponseCacheKey.of(recipe(), body(), "t")).isEqualTo(ResponseCacheKey.of(recipe(), body(), "t", null))
      .isNotEqualTo(ResponseCacheKey.of(recipe(), body(), "t", extra()));
  }
}
