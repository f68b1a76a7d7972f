package io.openfusion.router.recipe;

import io.openfusion.router.fusion.WebTools;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a request's {@code openfusion} object may change in the server's recipe: ceilings, tools, choices. */
class RecipeResolverTest {

  private static final String OPENROUTER = "https://openrouter.ai/api/v1";

  private static OpenFusionConfig parse(String costControls, String extra) {
    JsonObject raw = new JsonObject()
      .put("allow_request_overrides", true)
      .put("panel", new JsonArray().add(new JsonObject().put("base_url", OPENROUTER).put("api_key", "k").put("model", "a/m1")))
      .put("judge", new JsonObject().put("base_url", OPENROUTER).put("api_key", "k").put("model", "a/j"));
    if (costControls != null) {
      raw.put("cost_controls", new JsonObject(costControls));
    }
    if (extra != null) {
      raw.mergeIn(new JsonObject(extra));
    }
    return ConfigParser.parse(raw, Map.of(), "test.yaml");
  }

  private static CostControls ceilings(OpenFusionConfig config, Integer requested) {
    JsonObject override = requested == null ? null : new JsonObject().put("max_tokens", requested);
    return new RecipeResolver(config).resolve(override).ceilings();
  }

  @Test
  void inAConfigFileARequestMayOnlyLowerTheCeilings() {
    OpenFusionConfig config = parse("{\"panel_max_tokens\":1024,\"judge_max_tokens\":2048,\"pass_through_max_tokens\":1024}", null);

    assertThat(ceilings(config, 512)).isEqualTo(new CostControls(512, 512, 512));
    assertThat(ceilings(config, 4096)).isEqualTo(new CostControls(1024, 1024, 2048));
    assertThat(config.costControls().overrideCap()).isEqualTo(2048);
  }

  @Test
  void maxOverrideTokensSaysHowFarARequestMayRaiseThem() {
    OpenFusionConfig config = parse("{\"panel_max_tokens\":1024,\"judge_max_tokens\":1024,\"pass_through_max_tokens\":1024,"
      + "\"max_override_tokens\":8192}", null);

    assertThat(ceilings(config, 4096)).isEqualTo(new CostControls(4096, 4096, 4096, 8192));
    assertThat(ceilings(config, 100_000)).isEqualTo(new CostControls(8192, 8192, 8192, 8192));
    assertThat(ceilings(config, 256)).isEqualTo(new CostControls(256, 256, 256, 8192));
    assertThat(ceilings(config, null)).isEqualTo(config.costControls());
    assertThat(config.costControls().overrideCap()).isEqualTo(8192);
  }

  @Test
  void withoutCeilingsARequestSetsItsOwnAndThereIsNoCap() {
    OpenFusionConfig config = parse(null, null);

    assertThat(ceilings(config, 3000)).isEqualTo(new CostControls(3000, 3000, 3000));
    assertThat(config.costControls().overrideCap()).isNull();
  }

  @Test
  void aConfigWithNoToolsBlockSendsNoServerTools() {
    OpenFusionConfig config = parse(null, null);
    Recipe recipe = new RecipeResolver(config).resolve(null);
    JsonObject body = new JsonObject();

    WebTools.inject(body, recipe.tools(), OPENROUTER);

    assertThat(recipe.tools().webSearch()).isFalse();
    assertThat(recipe.tools().webFetch()).isFalse();
    assertThat(body.containsKey("tools")).isFalse();
  }

  @Test
  void presetsKeepTheirWebTools() {
    OpenFusionConfig config = parse(null, "{\"preset\":\"budget\"}");
    JsonObject body = new JsonObject();

    WebTools.inject(body, new RecipeResolver(config).resolve(null).tools(), OPENROUTER);
    JsonObject overridden = new JsonObject();
    WebTools.inject(overridden, new RecipeResolver(parse(null, null)).resolve(new JsonObject().put("preset", "quality")).tools(),
      OPENROUTER);

    assertThat(body.getJsonArray("tools")).hasSize(2);
    assertThat(overridden.getJsonArray("tools")).hasSize(2);
  }

  @Test
  void aFusionTakesOneChoiceOnly() {
    Choices.requireOne(new JsonObject(), "openfusion");
    Choices.requireOne(new JsonObject().put("n", 1), "openfusion");

    assertThatThrownBy(() -> Choices.requireOne(new JsonObject().put("n", 2), "openfusion"))
      .isInstanceOfSatisfying(ApiError.class, e -> {
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("invalid_parameter");
        assertThat(e.getMessage()).contains("n must be 1").contains("'openfusion'");
      });
    assertThat(Choices.of(new JsonObject().put("n", 5))).isEqualTo(5);
  }
}
