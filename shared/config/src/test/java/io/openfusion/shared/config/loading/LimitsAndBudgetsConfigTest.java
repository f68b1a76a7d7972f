package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.BudgetConfig;
import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parse;
import static io.openfusion.shared.config.loading.ConfigAssertions.withPanel;
import static org.assertj.core.api.Assertions.assertThat;

import io.openfusion.shared.identity.CallerIds;
import io.openfusion.shared.limits.TokenLimits;
import io.openfusion.shared.limits.TokenPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code limits.tokens_per_minute} and the top-level {@code budgets}. */
class LimitsAndBudgetsConfigTest {

  private static final Map<String, String> ENV = Map.of("TEAM_A_KEY", "gw-team-a-secret", "TEAM_B_KEY", "gw-team-b-secret");

  private static OpenFusionConfig parseBudgets(String budgets) {
    return parse(withPanel("\"gateway\":{\"api_keys\":[\"${TEAM_A_KEY}\",\"${TEAM_B_KEY}\"]},\"budgets\":" + budgets), ENV);
  }

  @Test
  void tokensPerMinuteAndBudgetsAreRead() {
    OpenFusionConfig c = parse(withPanel("""
        "limits":{"tokens_per_minute":60000,"rate_limit_per_minute":30},
        "gateway":{"api_keys":["${TEAM_A_KEY}","${TEAM_B_KEY}"]},
        "budgets":{"team-a":{"api_key":"${TEAM_A_KEY}","usd_per_day":5,"tokens_per_day":2000000},
                   "team-b":{"api_key":"${TEAM_B_KEY}","usd_per_day":0.25}}"""), ENV);

    LimitsConfig limits = c.limits();
    assertThat(limits.tokensPerMinute()).isEqualTo(60_000);
    assertThat(limits.rateLimitPerMinute()).isEqualTo(30);
    assertThat(limits.budgets()).containsExactly(
        new BudgetConfig("team-a", CallerIds.ofGatewayKey("gw-team-a-secret"), 2_000_000, 5.0),
        new BudgetConfig("team-b", CallerIds.ofGatewayKey("gw-team-b-secret"), 0, 0.25));
    // the key itself is kept nowhere in the limits, and never printed
    assertThat(limits.toString()).doesNotContain("secret").contains("team-a");

    TokenPolicy policy = new TokenPolicy(limits);
    assertThat(policy.limitsFor(CallerIds.ofGatewayKey("gw-team-b-secret")))
        .isEqualTo(new TokenLimits(60_000, 0, 250_000_000L, "team-b"));
    assertThat(policy.limitsFor("ip:10.0.0.1")).isEqualTo(new TokenLimits(60_000, 0, 0, null));
  }

  @Test
  void budgetsMayNameAKeyFromTheEnvironmentList() {
    OpenFusionConfig c = parse(withPanel("\"budgets\":{\"ci\":{\"api_key\":\"gw-ci\",\"tokens_per_day\":1000}}"),
        Map.of("OPENFUSION_API_KEYS", "gw-ci,gw-other"));
    assertThat(c.limits().budgets()).extracting(BudgetConfig::name).containsExactly("ci");
  }

  @Test
  void withoutTokenLimitsNothingIsMetered() {
    OpenFusionConfig c = parse(withPanel(""));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(0, 0, 0, List.of()));
    assertThat(c.limits().meterTokens()).isFalse();
    assertThat(new TokenPolicy(c.limits()).limitsFor("key:x").any()).isFalse();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      []                                                                 | budgets: must be a mapping (key: value lines), got a list
      {"team-a":5}                                                       | budgets.team-a: must be a mapping (key: value lines), got number 5
      {"team-a":{"usd_per_day":5}}                                       | budgets.team-a.api_key: required
      {"team-a":{"api_key":7,"usd_per_day":5}}                           | budgets.team-a.api_key: must be a string, got a number (put the value in quotes)
      {"team-a":{"api_key":"gw-unknown-secret","usd_per_day":5}}         | budgets.team-a.api_key: is not one of the gateway keys; budgets apply to the keys in gateway.api_keys (or OPENFUSION_API_KEYS), so add it there or fix the value
      {"team-a":{"api_key":"${TEAM_A_KEY}"}}                             | budgets.team-a: set usd_per_day, tokens_per_day or both
      {"team-a":{"api_key":"${TEAM_A_KEY}","usd_per_day":"5"}}           | budgets.team-a.usd_per_day: must be a number of US dollars, got string "5"
      {"team-a":{"api_key":"${TEAM_A_KEY}","usd_per_day":0}}             | budgets.team-a.usd_per_day: must be greater than 0 and at most 1000000, got 0
      {"team-a":{"api_key":"${TEAM_A_KEY}","tokens_per_day":0}}          | budgets.team-a.tokens_per_day: must be at least 1, got 0
      {"team-a":{"api_key":"${TEAM_A_KEY}","tokens_per_day":1.5}}        | budgets.team-a.tokens_per_day: must be a whole number, got number 1.5
      {"a":{"api_key":"${TEAM_A_KEY}","usd_per_day":1},"b":{"api_key":"${TEAM_A_KEY}","usd_per_day":2}} | budgets.b.api_key: the same key already has the budget 'a'; a key has at most one budget
      """)
  void badBudgetsFailWithTheirKeyPath(String budgets, String message) {
    ConfigException failure = configFailure(() -> parseBudgets(budgets));
    assertThat(failure.getMessage()).isEqualTo(message).doesNotContain("secret");
  }

  @Test
  void aBadTokensPerMinuteFailsWithItsKeyPath() {
    assertThat(configFailure(() -> parse(withPanel("\"limits\":{\"tokens_per_minute\":-1}"))).getMessage())
        .isEqualTo("limits.tokens_per_minute: must be at least 0, got -1");
  }
}
