package io.openfusion.bench.common;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.config.loading.ConfigParser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The harnesses' recipe is one the node accepts, with what each harness appends after it. */
class FakeRecipeTest {

  @Test
  void theNodeLoadsItWithAPanelAJudgeAndAPassThroughModel() {
    String yaml = FakeRecipe.yaml("a test", "http://127.0.0.1:9/v1", 3, "fake/pt")
      .append("server: {host: 127.0.0.1}\n").toString();

    OpenFusionConfig config = parse(yaml);

    assertThat(config.fusionModelName()).isEqualTo(FakeRecipe.FUSION_MODEL);
    assertThat(config.panel()).extracting(UpstreamConfig::model).containsExactly("fake/m1", "fake/m2", "fake/m3");
    assertThat(config.judge().upstream().model()).isEqualTo("fake/judge");
    assertThat(config.tools().webSearch()).isFalse();
    assertThat(yaml).contains("pass_through: {base_url: \"http://127.0.0.1:9/v1\", api_key: bench, model: fake/pt}");
  }

  @Test
  void withoutAPassThroughModelThereIsNoPassThroughLine() {
    String yaml = FakeRecipe.yaml("a test", "http://127.0.0.1:9/v1", 2, null).toString();

    assertThat(parse(yaml).panel()).hasSize(2);
    assertThat(yaml).doesNotContain("pass_through");
  }

  private static OpenFusionConfig parse(String yaml) {
    Map<String, Object> tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return ConfigParser.parse(new JsonObject(tree), Map.of(), "test");
  }
}
