package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnumsTest {

  @Test
  void strategyWireNamesRoundTrip() {
    assertThat(Strategy.SELF_FUSION.wire()).isEqualTo("self_fusion");
    assertThat(Strategy.PANEL.wire()).isEqualTo("panel");
    assertThat(Strategy.DEBATE.wire()).isEqualTo("debate");
    assertThat(Strategy.PIPELINE.wire()).isEqualTo("pipeline");
    for (Strategy s : Strategy.values()) {
      assertThat(Strategy.fromWire(s.wire())).isSameAs(s);
    }
    assertThat(Strategy.fromWire(" Panel ")).isSameAs(Strategy.PANEL);
    assertThat(Strategy.fromWire("fusion")).isNull();
    assertThat(Strategy.fromWire(null)).isNull();
  }

  @Test
  void aggregatorWireNamesRoundTrip() {
    assertThat(Aggregator.JUDGE.wire()).isEqualTo("judge");
    assertThat(Aggregator.VOTE.wire()).isEqualTo("vote");
    assertThat(Aggregator.RANKED.wire()).isEqualTo("ranked");
    for (Aggregator a : Aggregator.values()) {
      assertThat(Aggregator.fromWire(a.wire())).isSameAs(a);
    }
    assertThat(Aggregator.fromWire("best")).isNull();
    assertThat(Aggregator.fromWire(null)).isNull();
  }

  @Test
  void providerIsInferredFromTheUrl() {
    assertThat(Provider.infer("https://api.anthropic.com/v1")).isSameAs(Provider.ANTHROPIC);
    assertThat(Provider.infer("https://API.ANTHROPIC.COM/v1")).isSameAs(Provider.ANTHROPIC);
    assertThat(Provider.infer("https://openrouter.ai/api/v1")).isSameAs(Provider.OPENAI);
    assertThat(Provider.infer("http://127.0.0.1:11434/v1")).isSameAs(Provider.OPENAI);
    assertThat(Provider.infer(null)).isSameAs(Provider.OPENAI);
    assertThat(Provider.ANTHROPIC.wire()).isEqualTo("anthropic");
    assertThat(Provider.fromWire("openai")).isSameAs(Provider.OPENAI);
    assertThat(Provider.fromWire("gemini")).isNull();
  }
}
