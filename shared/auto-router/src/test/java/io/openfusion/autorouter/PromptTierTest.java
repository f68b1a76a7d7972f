package io.openfusion.autorouter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromptTierTest {

  @Test
  void shortIsFast() {
    assertThat(AutoRouter.tier("")).isEqualTo(Tier.FAST);
    assertThat(AutoRouter.tier(null)).isEqualTo(Tier.FAST);
    assertThat(AutoRouter.tier("x".repeat(199))).isEqualTo(Tier.FAST);
  }

  @Test
  void mediumIsBalancedAndLongIsStrong() {
    assertThat(AutoRouter.tier("x".repeat(200))).isEqualTo(Tier.BALANCED);
    assertThat(AutoRouter.tier("x".repeat(599))).isEqualTo(Tier.BALANCED);
    assertThat(AutoRouter.tier("x".repeat(600))).isEqualTo(Tier.STRONG);
  }

  @Test
  void codeFenceIsStrong() {
    assertThat(AutoRouter.tier("```")).isEqualTo(Tier.STRONG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"analyze", "Analyse this", "compare", "evaluate", "design", "research", "explain   why",
    "trade-off", "tradeoff", "prove it", "DEBUG", "architecture"})
  void strongWords(String text) {
    assertThat(AutoRouter.tier(text)).isEqualTo(Tier.STRONG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"improve my essay", "approve", "designer", "explain", "why"})
  void strongWordsOnlyAsWholeWords(String text) {
    assertThat(AutoRouter.tier(text)).isEqualTo(Tier.FAST);
  }

  @Test
  void wireNames() {
    assertThat(Tier.FAST.wire()).isEqualTo("fast");
    assertThat(Tier.BALANCED.wire()).isEqualTo("balanced");
    assertThat(Tier.STRONG.wire()).isEqualTo("strong");
    assertThat(Tier.fromWire("strong")).isEqualTo(Tier.STRONG);
    assertThat(Tier.fromWire("huge")).isNull();
    assertThat(Tier.fromWire(null)).isNull();
  }
}
