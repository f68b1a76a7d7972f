package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.UpstreamConfig;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpstreamConfigTest {

  private static final String SECRET = "sk-or-v1-0123456789abcdef";

  private final UpstreamConfig up =
      new UpstreamConfig("https://openrouter.ai/api/v1", SECRET, "openai/gpt-4o-mini", "mini", Provider.OPENAI);

  @Test
  void displayLabelPrefersTheLabel() {
    assertThat(up.displayLabel()).isEqualTo("mini");
    assertThat(up.withLabel(null).displayLabel()).isEqualTo("openai/gpt-4o-mini");
    assertThat(up.withLabel("  ").displayLabel()).isEqualTo("openai/gpt-4o-mini");
  }

  @Test
  void hasKeyMeansNonBlank() {
    assertThat(up.hasKey()).isTrue();
    assertThat(up.withApiKey("").hasKey()).isFalse();
    assertThat(up.withApiKey("   ").hasKey()).isFalse();
    assertThat(up.withApiKey(null).apiKey()).isEqualTo("");
  }

  @Test
  void withModelKeepsEndpointAndKeyButDropsTheLabel() {
    UpstreamConfig anthropic = new UpstreamConfig("https://proxy.example/v1", "k", "a", "lbl", Provider.ANTHROPIC);
    UpstreamConfig other = anthropic.withModel("b");
    assertThat(other.baseUrl()).isEqualTo("https://proxy.example/v1");
    assertThat(other.apiKey()).isEqualTo("k");
    assertThat(other.provider()).isSameAs(Provider.ANTHROPIC);
    assertThat(other.model()).isEqualTo("b");
    assertThat(other.label()).isNull();
  }

  @Test
  void withApiKeyIfMissingOnlyFillsEmptyKeys() {
    assertThat(up.withApiKeyIfMissing("ui-key").apiKey()).isEqualTo(SECRET);
    assertThat(up.withApiKey("").withApiKeyIfMissing("ui-key").apiKey()).isEqualTo("ui-key");
  }

  @Test
  void constructorNormalisesUrlKeyLabelAndProvider() {
    UpstreamConfig u = new UpstreamConfig("https://api.anthropic.com/v1//", null, "claude", " ", null);
    assertThat(u.baseUrl()).isEqualTo("https://api.anthropic.com/v1");
    assertThat(u.apiKey()).isEqualTo("");
    assertThat(u.label()).isNull();
    assertThat(u.provider()).isSameAs(Provider.ANTHROPIC);
  }

  @Test
  void toStringNeverPrintsTheKey() {
    assertThat(up.toString()).doesNotContain(SECRET).contains("apiKey=***").contains("openai/gpt-4o-mini");
    assertThat(up.withApiKey("").toString()).contains("apiKey=<unset>");
    assertThat(JudgeConfig.of(up).toString()).doesNotContain(SECRET);
    assertThat(new RouteModel("m", null, null, SECRET).toString()).doesNotContain(SECRET).contains("apiKey=***");
  }
}
