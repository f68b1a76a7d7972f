package io.openfusion.bench.quality;

import io.openfusion.bench.common.RepoPaths;
import io.openfusion.router.fusion.WebTools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Solo with web tools against fusion with web tools: the solo request (a pass-through, where the proxy adds no tools)
 * must carry exactly the tools the proxy gives each panel member of the fused recipe.
 */
class SoloToolsTest {

  private static Vertx vertx;
  private static final Map<String, String> ENV = Map.of("OPENROUTER_API_KEY", "sk-or-test", "BENCH_SIM_URL",
    "http://127.0.0.1:1/v1");

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static BenchRecipe recipe(String path) throws Exception {
    return BenchRecipe.load(vertx, RepoPaths.resolve(path), ENV);
  }

  private static QualityBench.Options options() {
    return QualityBench.Options.offline("synthetic:1", 0.7, 1, SimUpstream.Wrong.SHARED, List.of(), 1, List.of());
  }

  @Test
  void soloWithToolsCarriesThePanelsWebTools() throws Exception {
    BenchRecipe solo = recipe("bench/recipes/openrouter-tools/solo.yaml");
    BenchRecipe panel = recipe("bench/recipes/openrouter-tools/panel_judge.yaml");
    assertThat(solo.solo()).isTrue();
    JsonObject body = QualityBench.request(options(), solo, "What changed in the 2025 EU AI Act guidance?");
    JsonArray tools = body.getJsonArray("tools");
    assertThat(tools).isNotNull();
    assertThat(tools.stream().map(t -> ((JsonObject) t).getString("type")))
      .containsExactly(WebTools.SEARCH, WebTools.FETCH);
    JsonObject search = tools.getJsonObject(0).getJsonObject("parameters");
    assertThat(search.getInteger("max_results")).isEqualTo(5);
    assertThat(search.getJsonArray("excluded_domains").getList()).contains("huggingface.co", "perplexity.ai");

    // what the proxy adds to one of the fused recipe's panel calls
    JsonObject member = new JsonObject().put("model", panel.config().panel().get(0).model());
    WebTools.inject(member, panel.config().tools(), panel.config().panel().get(0).baseUrl());
    assertThat(tools).isEqualTo(member.getJsonArray("tools"));

    // the fused request itself carries none: the proxy adds them per member
    assertThat(QualityBench.request(options(), panel, "q").containsKey("tools")).isFalse();
  }

  @Test
  void noToolsWhenTheRecipeTurnsThemOffOrTheProviderIsNotOpenRouter() throws Exception {
    assertThat(QualityBench.request(options(), recipe("bench/recipes/openrouter/solo.yaml"), "q").containsKey("tools"))
      .isFalse();
    // offline recipes point at the simulator: the proxy would not add OpenRouter's tools there, nor does the harness
    assertThat(QualityBench.request(options(), recipe("bench/recipes/offline/solo.yaml"), "q").containsKey("tools")).isFalse();
  }

  @Test
  void theToolsAndSmokeRecipesLoad() throws Exception {
    BenchRecipe smoke = recipe("bench/recipes/smoke/openrouter.yaml");
    assertThat(smoke.config().costControls().panelMaxTokens()).isLessThanOrEqualTo(64);
    assertThat(QualityBench.allRecipes(RepoPaths.resolve("bench/recipes/openrouter-tools")))
      .extracting(p -> p.getFileName().toString()).containsExactly("solo.yaml", "panel_judge.yaml");
    assertThat(recipe("bench/recipes/openrouter-tools/panel_judge.yaml").config().tools().webSearch()).isTrue();
  }
}
