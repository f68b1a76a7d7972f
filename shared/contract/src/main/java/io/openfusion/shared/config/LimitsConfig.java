package io.openfusion.shared.config;

import java.util.List;
import java.util.Optional;

/**
 * Admission limits.
 *
 * @param maxInFlight        concurrent fused/pass-through requests, 0 = unlimited (over it: 503)
 * @param rateLimitPerMinute requests per minute per gateway key (or the anonymous bucket),
 *                           0 = unlimited (over it: 429)
 * @param tokensPerMinute    tokens per minute per caller (same identity as the request rate limit),
 *                           reserved at each request's worst case and settled on its real usage,
 *                           0 = unlimited (over it: 429 {@code token_rate_limit_exceeded})
 * @param budgets            daily token and dollar budgets per gateway key (from the top-level
 *                           {@code budgets} mapping; over one: 429 {@code budget_exceeded})
 */
public record LimitsConfig(int maxInFlight, int rateLimitPerMinute, long tokensPerMinute, List<BudgetConfig> budgets) {

  public LimitsConfig {
    tokensPerMinute = Math.max(0, tokensPerMinute);
    budgets = budgets == null ? List.of() : List.copyOf(budgets);
  }

  /** Request limits only: no token limit, no budgets. */
  public LimitsConfig(int maxInFlight, int rateLimitPerMinute) {
    this(maxInFlight, rateLimitPerMinute, 0, List.of());
  }

  public static LimitsConfig unlimited() {
    return new LimitsConfig(0, 0);
  }

  /** This config with {@code limits.tokens_per_minute} set. */
  public LimitsConfig withTokensPerMinute(long tokensPerMinute) {
    return new LimitsConfig(maxInFlight, rateLimitPerMinute, tokensPerMinute, budgets);
  }

  /** This config with {@code budgets} replaced. */
  public LimitsConfig withBudgets(List<BudgetConfig> budgets) {
    return new LimitsConfig(maxInFlight, rateLimitPerMinute, tokensPerMinute, budgets);
  }

  /** Whether any token limit or budget is configured: when not, requests are never reserved. */
  public boolean meterTokens() {
    return tokensPerMinute > 0 || !budgets.isEmpty();
  }

  /** The budget of {@code caller} (a caller id), if it has one. */
  public Optional<BudgetConfig> budgetOf(String caller) {
    if (caller == null) {
      return Optional.empty();
    }
    return budgets.stream().filter(b -> b.caller().equals(caller)).findFirst();
  }
}
