package io.openfusion.shared.config;

/**
 * One entry of {@code budgets}: a daily allowance for one gateway key, reset at 00:00 UTC.
 *
 * <p>A budget is named, and names its key with {@code api_key} (usually {@code ${VAR}}, the same value
 * as in {@code gateway.api_keys}). Only the name ever appears in logs, error messages and 429 bodies;
 * the key itself is kept as its caller id ({@code key:<fingerprint>}), the identity requests carry.
 *
 * @param name         the budget's name, the mapping key under {@code budgets}
 * @param caller       the caller id of its gateway key
 * @param tokensPerDay prompt plus completion tokens per UTC day, 0 = not limited
 * @param usdPerDay    US dollars per UTC day, 0 = not limited
 */
public record BudgetConfig(String name, String caller, long tokensPerDay, double usdPerDay) {

  /** The caller id is a fingerprint, not a secret, but it means nothing to a reader: print the name. */
  @Override
  public String toString() {
    return "BudgetConfig[name=" + name + ", tokensPerDay=" + tokensPerDay + ", usdPerDay=" + usdPerDay + "]";
  }
}
