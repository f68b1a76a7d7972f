package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecipeParserTest {

  private static final Map<String, String> ENV = Map.of("UPSTREAM_KEY", "sk-x");
  private static final OpenFusionConfig BASE = ConfigParser.parse(new JsonObject()
    .put("panel", new JsonArray().add(member("base-model")))
    .put("gateway", new JsonObject().put("api_keys", new JsonArray().add("k1")))
    .put("limits", new JsonObject().put("rate_limit_per_minute", 7)), ENV, "test");

  private static JsonObject member(String model) {
    return new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("api_key", "${UPSTREAM_KEY}").put("model", model);
  }

  @Test
  void aRecipeReplacesTheRecipeAndKeepsTheNodeSettings() {
    JsonObject recipe = new JsonObject().put("strategy", "debate")
      .put("panel", new JsonArray().add(member("a")).add(member("b")))
      .put("judge", member("j"));

    OpenFusionConfig applied = RecipeParser.apply(BASE, "tenant", recipe, ENV);

    assertThat(applied.strategy()).isEqualTo(Strategy.DEBATE);
    assertThat(applied.panel()).extracting(UpstreamConfig::model).containsExactly("a", "b");
    assertThat(applied.panel()).extracting(UpstreamConfig::apiKey).containsOnly("sk-x");
    assertThat(applied.judge().upstream().model()).isEqualTo("j");
    assertThat(applied.gatewayKeys()).containsExactly("k1");
    assertThat(applied.limits().rateLimitPerMinute()).isEqualTo(7);
  }

  @Test
  void anInvalidValueNamesItsPathUnderTheRecipe() {
    JsonObject recipe = new JsonObject().put("panel", new JsonArray().add(member("a").put("base_url", "ftp://x")));

    assertThatThrownBy(() -> RecipeParser.apply(BASE, "tenant-b", recipe, ENV))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("recipes.tenant-b.panel[0].base_url: must be an http(s) URL");
  }

  @Test
  void aNodeSettingIsNotARecipeKey() {
    JsonObject recipe = new JsonObject().put("panel", new JsonArray().add(member("a")))
      .put("limits", new JsonObject().put("rate_limit_per_minute", 1000));

    assertThatThrownBy(() -> RecipeParser.apply(BASE, "tenant", recipe, ENV))
      .isInstanceOf(ConfigException.class)
      .satisfies(e -> assertThat(((ConfigException) e).keyPath()).isEqualTo("recipes.tenant.limits"))
      .hasMessageContaining("node settings come from the base config");
  }

  @Test
  void aMissingVariableNamesItsPathUnderTheRecipe() {
    JsonObject recipe = new JsonObject().put("panel", new JsonArray().add(member("a")));

    assertThatThrownBy(() -> RecipeParser.apply(BASE, "tenant", recipe, Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("recipes.tenant.panel[0].api_key: environment variable UPSTREAM_KEY is not set");
  }

  @Test
  void aRecipeNeedsAName() {
    assertThatThrownBy(() -> RecipeParser.apply(BASE, " ", new JsonObject(), ENV))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("recipes: ");
  }
}
