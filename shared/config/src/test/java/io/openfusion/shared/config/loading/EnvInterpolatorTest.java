package io.openfusion.shared.config.loading;

import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvInterpolatorTest {

  @Test
  void replacesWholeAndMidStringValuesRecursively() {
    JsonObject raw = new JsonObject("""
        {"panel":[{"base_url":"https://${HOST}/v1","api_key":"${KEY}"}],
         "gateway":{"api_keys":["a-${KEY}-b"]},
         "n": 3, "flag": true}""");
    JsonObject out = EnvInterpolator.interpolate(raw, Map.of("HOST", "up.example", "KEY", "sk1"));
    assertThat(out.getJsonArray("panel").getJsonObject(0).getString("base_url")).isEqualTo("https://up.example/v1");
    assertThat(out.getJsonArray("panel").getJsonObject(0).getString("api_key")).isEqualTo("sk1");
    assertThat(out.getJsonObject("gateway").getJsonArray("api_keys").getString(0)).isEqualTo("a-sk1-b");
    assertThat(out.getInteger("n")).isEqualTo(3);
    assertThat(out.getBoolean("flag")).isTrue();
  }

  @Test
  void doesNotModifyTheInputAndDoesNotReExpandValues() {
    JsonObject raw = new JsonObject("{\"a\":\"${X}\"}");
    JsonObject out = EnvInterpolator.interpolate(raw, Map.of("X", "${Y}", "Y", "nope"));
    assertThat(out.getString("a")).isEqualTo("${Y}");
    assertThat(raw.getString("a")).isEqualTo("${X}");
  }

  @Test
  void onlyUpperCaseNamesAreVariables() {
    JsonObject out = EnvInterpolator.interpolate(new JsonObject("{\"a\":\"${lower} $HOME ${}\"}"), Map.of());
    assertThat(out.getString("a")).isEqualTo("${lower} $HOME ${}");
  }

  @Test
  void emptyValueIsSetNotMissing() {
    assertThat(EnvInterpolator.interpolate(new JsonObject("{\"a\":\"x${E}y\"}"), Map.of("E", "")).getString("a"))
        .isEqualTo("xy");
  }

  @Test
  void replacementTextIsTakenLiterally() {
    JsonObject out = EnvInterpolator.interpolate(new JsonObject("{\"a\":\"${K}\"}"), Map.of("K", "a$1\\b"));
    assertThat(out.getString("a")).isEqualTo("a$1\\b");
  }

  @Test
  void unsetVariableNamesTheKeyPathAndTheFix() {
    ConfigException e = configFailure(() -> EnvInterpolator.interpolate(
        new JsonObject("{\"panel\":[{\"api_key\":\"ok\"},{\"api_key\":\"${OPENROUTER_API_KEY}\"}]}"),
        Map.of()));
    assertThat(e.keyPath()).isEqualTo("panel[1].api_key");
    assertThat(e.getMessage()).isEqualTo("panel[1].api_key: environment variable OPENROUTER_API_KEY is not set "
        + "(export OPENROUTER_API_KEY=... or put the value in the file)");
  }

  @Test
  void unsetVariableInAListOfStrings() {
    ConfigException e = configFailure(() -> EnvInterpolator.interpolate(
        new JsonObject("{\"gateway\":{\"api_keys\":[\"k\",\"${GW_KEY}\"]}}"), Map.of()));
    assertThat(e.keyPath()).isEqualTo("gateway.api_keys[1]");
  }
}
