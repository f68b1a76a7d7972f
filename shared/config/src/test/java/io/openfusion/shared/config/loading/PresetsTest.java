package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.UpstreamConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresetsTest {

  @Test
  void exactModelIds() {
    assertThat(Presets.panelModels(Presets.QUALITY))
        .containsExactly("anthropic/claude-sonnet-4", "google/gemini-3-pro", "deepseek/deepseek-v4-pro");
    assertThat(Presets.judgeModel(Presets.QUALITY)).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(Presets.passThroughModel(Presets.QUALITY)).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(Presets.panelModels(Presets.BUDGET))
        .containsExactly("openai/gpt-4o-mini", "deepseek/deepseek-v4-pro", "moonshotai/kimi-k2.6");
    assertThat(Presets.judgeModel(Presets.BUDGET)).isEqualTo("deepseek/deepseek-v4-pro");
    assertThat(Presets.passThroughModel(Presets.BUDGET)).isEqualTo("openai/gpt-4o-mini");
    assertThat(Presets.OPENROUTER_BASE_URL).isEqualTo("https://openrouter.ai/api/v1");
  }

  @Test
  void describeHasTheConfigEndpointShape() {
    JsonObject d = Presets.describe();
    assertThat(d.fieldNames()).containsExactlyInAnyOrder("quality", "budget");
    assertThat(d.getJsonObject("budget").getJsonArray("panel").getList())
        .isEqualTo(List.of("openai/gpt-4o-mini", "deepseek/deepseek-v4-pro", "moonshotai/kimi-k2.6"));
    assertThat(d.getJsonObject("quality").getString("judge")).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(d.getJsonObject("budget").fieldNames()).containsExactlyInAnyOrder("panel", "judge");
  }

  @Test
  void panelUpstreamsAreLabelledAndOnOpenRouter() {
    List<UpstreamConfig> panel = Presets.panel("budget", "k");
    assertThat(panel).extracting(UpstreamConfig::label).containsExactly("panel-0", "panel-1", "panel-2");
    assertThat(panel).allSatisfy(m -> {
      assertThat(m.baseUrl()).isEqualTo(Presets.OPENROUTER_BASE_URL);
      assertThat(m.apiKey()).isEqualTo("k");
      assertThat(m.provider()).isSameAs(Provider.OPENAI);
    });
    assertThat(Presets.judge("quality", "k").upstream().model()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(Presets.passThrough("quality", "").hasKey()).isFalse();
  }

  @Test
  void unknownPresetIsRejected() {
    assertThat(Presets.isKnown("Budget")).isTrue();
    assertThat(Presets.isKnown("premium")).isFalse();
    assertThatThrownBy(() -> Presets.panelModels("premium"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use quality or budget");
  }
}
