package io.openfusion.shared.limits;

import io.openfusion.shared.identity.CallerIds;
import io.openfusion.shared.config.BudgetConfig;
import io.openfusion.shared.config.LimitsConfig;

/** Which token limits apply to a caller: {@code limits.tokens_per_minute} for everyone, plus its budget if any. */
public final class TokenPolicy {

  private final LimitsConfig limits;

  public TokenPolicy(LimitsConfig limits) {
    this.limits = limits;
  }

  /** Whether anything is metered at all: when not, no request is reserved or settled. */
  public boolean active() {
    return limits.meterTokens();
  }

  /** @param caller a caller id ({@link CallerIds}); null (a request from outside the api) gets the global limit only */
  public TokenLimits limitsFor(String caller) {
    if (!active()) {
      return TokenLimits.NONE;
    }
    BudgetConfig budget = limits.budgetOf(caller).orElse(null);
    if (budget == null) {
      return new TokenLimits(limits.tokensPerMinute(), 0, 0, null);
    }
    return new TokenLimits(limits.tokensPerMinute(), budget.tokensPerDay(),
      TokenCharge.reserve(0, budget.usdPerDay()).nanoUsd(), budget.name());
  }
}
