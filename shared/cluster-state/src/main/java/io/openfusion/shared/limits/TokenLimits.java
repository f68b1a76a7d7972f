package io.openfusion.shared.limits;

/**
 * The token limits that apply to one caller; 0 means no limit.
 *
 * @param tokensPerMinute {@code limits.tokens_per_minute}
 * @param tokensPerDay    the caller's budget {@code tokens_per_day}
 * @param nanoUsdPerDay   the caller's budget {@code usd_per_day}, in nano-dollars
 * @param budget          the budget's name (for messages), null when the caller has none
 */
public record TokenLimits(long tokensPerMinute, long tokensPerDay, long nanoUsdPerDay, String budget) {

  public static final TokenLimits NONE = new TokenLimits(0, 0, 0, null);

  /** Whether anything is limited at all: when not, a request is neither reserved nor settled. */
  public boolean any() {
    return tokensPerMinute > 0 || hasDailyBudget();
  }

  public boolean hasDailyBudget() {
    return tokensPerDay > 0 || nanoUsdPerDay > 0;
  }

  /** Whether reservations need a price: only a dollar budget does, so others never wait for a price list. */
  public boolean needsPrices() {
    return nanoUsdPerDay > 0;
  }
}
