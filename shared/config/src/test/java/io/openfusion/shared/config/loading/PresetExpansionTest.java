package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.SOURCE;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PresetExpansionTest {

  private static final Map<String, String> ENV = Map.of("OPENROUTER_API_KEY", "sk-env");

  private static OpenFusionConfig parse(String json, Map<String, String> env, Optional<String> saved) {
    return ConfigParser.parse(new JsonObject(json), env, SOURCE, () -> saved);
  }

  @Test
  void budgetPresetFillsEverything() {
    OpenFusionConfig c = parse("{\"preset\":\"budget\"}", ENV, Optional.empty());
    assertThat(c.preset()).isEqualTo("budget");
    assertThat(c.strategy()).isSameAs(Strategy.PANEL);
    assertThat(c.aggregator()).isSameAs(Aggregator.JUDGE);
    assertThat(c.panel()).extracting(UpstreamConfig::model)
        .containsExactly("openai/gpt-4o-mini", "deepseek/deepseek-v4-pro", "moonshotai/kimi-k2.6");
    assertThat(c.panel()).extracting(UpstreamConfig::label).containsExactly("panel-0", "panel-1", "panel-2");
    assertThat(c.panel()).allSatisfy(m -> {
      assertThat(m.baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
      assertThat(m.apiKey()).isEqualTo("sk-env");
    });
    assertThat(c.judge().upstream().model()).isEqualTo("deepseek/deepseek-v4-pro");
    assertThat(c.judge().upstream().apiKey()).isEqualTo("sk-env");
    assertThat(c.judge().maxPanelTokens()).isEqualTo(120_000);
    assertThat(c.passThrough().model()).isEqualTo("openai/gpt-4o-mini");
    assertThat(c.tools().webSearch()).isTrue();
    assertThat(c.tools().webFetch()).isTrue();
  }

  @Test
  void qualityPreset() {
    OpenFusionConfig c = parse("{\"preset\":\"quality\"}", ENV, Optional.empty());
    assertThat(c.panel()).extracting(UpstreamConfig::model)
        .containsExactly("anthropic/claude-sonnet-4", "google/gemini-3-pro", "deepseek/deepseek-v4-pro");
    assertThat(c.judge().upstream().model()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(c.passThrough().model()).isEqualTo("anthropic/claude-sonnet-4");
  }

  @Test
  void explicitValuesWin() {
    OpenFusionConfig c = parse("""
        {"preset":"budget","strategy":"debate","aggregator":"vote",
         "panel":[{"base_url":"https://mine.example/v1","api_key":"mine","model":"my-model"}],
         "judge":{"base_url":"https://judge.example/v1","api_key":"jk","model":"my-judge"},
         "tools":{"web_search":false}}""", ENV, Optional.empty());
    assertThat(c.strategy()).isSameAs(Strategy.DEBATE);
    assertThat(c.aggregator()).isSameAs(Aggregator.VOTE);
    assertThat(c.panel()).singleElement().satisfies(m -> {
      assertThat(m.model()).isEqualTo("my-model");
      assertThat(m.apiKey()).isEqualTo("mine");
    });
    assertThat(c.judge().upstream().model()).isEqualTo("my-judge");
    assertThat(c.passThrough().model()).as("still filled: it was missing").isEqualTo("openai/gpt-4o-mini");
    assertThat(c.tools().webSearch()).isFalse();
    assertThat(c.tools().webFetch()).isTrue();
  }

  @Test
  void emptyPanelIsFilledByThePreset() {
    OpenFusionConfig c = parse("{\"preset\":\"budget\",\"panel\":[]}", ENV, Optional.empty());
    assertThat(c.panel()).hasSize(3);
  }

  @Test
  void modelOnlyEntriesRunOnOpenRouterWithThePresetKey() {
    OpenFusionConfig c = parse("""
        {"preset":"budget",
         "panel":[{"model":"x-ai/grok-4"},
                  {"base_url":"https://openrouter.ai/api/v1/","model":"y"},
                  {"base_url":"https://private.example/v1","model":"z"}],
         "judge":{"model":"anthropic/claude-opus-4"}}""", ENV, Optional.empty());
    assertThat(c.panel().get(0).baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
    assertThat(c.panel().get(0).apiKey()).isEqualTo("sk-env");
    assertThat(c.panel().get(1).apiKey()).isEqualTo("sk-env");
    assertThat(c.panel().get(2).apiKey()).as("the OpenRouter key never goes to another host").isEmpty();
    assertThat(c.judge().upstream().baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
    assertThat(c.judge().upstream().apiKey()).isEqualTo("sk-env");
  }

  @Test
  void keyComesFromSavedCredentialsWhenEnvIsUnset() {
    OpenFusionConfig c = parse("{\"preset\":\"budget\"}", Map.of(), Optional.of("sk-saved"));
    assertThat(c.panel()).allSatisfy(m -> assertThat(m.apiKey()).isEqualTo("sk-saved"));
    assertThat(c.judge().upstream().apiKey()).isEqualTo("sk-saved");
    assertThat(c.passThrough().apiKey()).isEqualTo("sk-saved");
  }

  @Test
  void blankEnvKeyCountsAsUnset() {
    OpenFusionConfig c = parse("{\"preset\":\"budget\"}", Map.of("OPENROUTER_API_KEY", " "), Optional.of("sk-saved"));
    assertThat(c.judge().upstream().apiKey()).isEqualTo("sk-saved");
  }

  @Test
  void envKeyBeatsSavedKey() {
    AtomicInteger calls = new AtomicInteger();
    OpenFusionConfig c = ConfigParser.parse(new JsonObject("{\"preset\":\"budget\"}"), ENV, SOURCE,
        () -> {
          calls.incrementAndGet();
          return Optional.of("sk-saved");
        });
    assertThat(c.judge().upstream().apiKey()).isEqualTo("sk-env");
    assertThat(calls).as("credentials are not even read").hasValue(0);
  }

  @Test
  void noKeyAnywhereLoadsWithEmptyKeysInsteadOfFailing() {
    OpenFusionConfig c = parse("{\"preset\":\"budget\"}", Map.of(), Optional.empty());
    assertThat(c.anyUpstreamKeyMissing()).isTrue();
    assertThat(c.panel()).allSatisfy(m -> assertThat(m.hasKey()).isFalse());
  }

  @Test
  void userWrittenPlaceholderStillRequiresTheVariable() {
    // Only the preset's own entries get the fallback; an explicit ${VAR} keeps failing fast.
    ConfigException e = configFailure(() -> parse(
        "{\"preset\":\"budget\",\"judge\":{\"model\":\"j\",\"api_key\":\"${OPENROUTER_API_KEY}\"}}",
        Map.of(), Optional.of("sk-saved")));
    assertThat(e.keyPath()).isEqualTo("judge.api_key");
  }

  @Test
  void unknownPresetIsRejected() {
    assertThat(configFailure(() -> parse("{\"preset\":\"x\"}", ENV, Optional.empty())).getMessage())
        .isEqualTo("preset: unknown preset 'x' (use quality or budget)");
    assertThat(configFailure(() -> parse("{\"preset\":3}", ENV, Optional.empty())).keyPath()).isEqualTo("preset");
  }

  @Test
  void presetNameCanComeFromTheEnvironment() {
    OpenFusionConfig c = parse("{\"preset\":\"${PRESET}\"}", Map.of("PRESET", "quality"), Optional.empty());
    assertThat(c.preset()).isEqualTo("quality");
  }
}
