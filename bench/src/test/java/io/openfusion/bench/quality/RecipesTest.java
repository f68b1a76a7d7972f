package io.openfusion.bench.quality;

import io.openfusion.bench.common.RepoPaths;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.Strategy;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shipped recipe is a valid openfusion config, and each mode is the strategy and aggregator it says. */
class RecipesTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @Test
  void offlineAndOpenRouterRecipesLoad() throws Exception {
    for (String dir : List.of("bench/recipes/offline", "bench/recipes/openrouter")) {
      Map<String, BenchRecipe> modes = new LinkedHashMap<>();
      for (Path file : QualityBench.allRecipes(RepoPaths.resolve(dir))) {
        BenchRecipe r = BenchRecipe.load(vertx, file, Map.of("BENCH_SIM_URL", "http://127.0.0.1:1/v1",
          "OPENROUTER_API_KEY", "sk-or-test"));
        modes.put(r.mode(), r);
      }
      assertThat(modes.keySet()).as(dir).containsExactly("solo", "self_fusion", "panel_judge", "vote", "ranked", "debate");
      assertThat(modes.get("solo").requestModel()).isEqualTo(modes.get("solo").config().passThroughResolved().model());
      assertThat(modes.get("vote").requestModel()).isEqualTo("openfusion");
      assertThat(modes.get("vote").config().aggregator()).isEqualTo(Aggregator.VOTE);
      assertThat(modes.get("ranked").config().aggregator()).isEqualTo(Aggregator.RANKED);
      assertThat(modes.get("panel_judge").config().aggregator()).isEqualTo(Aggregator.JUDGE);
      assertThat(modes.get("self_fusion").config().strategy()).isEqualTo(Strategy.SELF_FUSION);
      assertThat(modes.get("debate").config().strategy()).isEqualTo(Strategy.DEBATE);
      modes.values().forEach(r -> assertThat(r.config().tools().webSearch()).as(r.mode()).isFalse());
    }
  }
}
