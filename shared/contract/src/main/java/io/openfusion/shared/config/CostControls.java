package io.openfusion.shared.config;

/**
 * Output-token ceilings per phase. {@code null} means unlimited; otherwise the value is >= 1.
 *
 * @param passThroughMaxTokens ceiling for pass-through calls (over it: 400)
 * @param panelMaxTokens       ceiling for panel member calls (clamped)
 * @param judgeMaxTokens       ceiling for the judge call (over it: 400)
 * @param maxOverrideTokens    how far a request's {@code openfusion.max_tokens} may raise the ceilings; {@code null}
 *                             means not at all (a request may only lower them), so clients never widen what the
 *                             operator set
 */
public record CostControls(Integer passThroughMaxTokens, Integer panelMaxTokens, Integer judgeMaxTokens,
                           Integer maxOverrideTokens) {

  /** Zero-config's {@code max_override_tokens}: the user is the operator, so the playground's lengths all work. */
  public static final int ZERO_CONFIG_MAX_OVERRIDE_TOKENS = 8192;

  public CostControls(Integer passThroughMaxTokens, Integer panelMaxTokens, Integer judgeMaxTokens) {
    this(passThroughMaxTokens, panelMaxTokens, judgeMaxTokens, null);
  }

  public static CostControls unlimited() {
    return new CostControls(null, null, null, null);
  }

  /**
   * The ceilings for one request whose {@code openfusion.max_tokens} is {@code requested}: each phase gets the request's
   * value, but never more than the larger of its own ceiling and {@link #maxOverrideTokens()}.
   */
  public CostControls forRequest(int requested) {
    return new CostControls(bound(passThroughMaxTokens, requested), bound(panelMaxTokens, requested),
        bound(judgeMaxTokens, requested), maxOverrideTokens);
  }

  /**
   * @return the largest {@code openfusion.max_tokens} that still changes anything (what a UI may offer), or
   *     {@code null} when any phase is unlimited
   */
  public Integer overrideCap() {
    if (passThroughMaxTokens == null || panelMaxTokens == null || judgeMaxTokens == null) {
      return null;
    }
    int cap = Math.max(passThroughMaxTokens, Math.max(panelMaxTokens, judgeMaxTokens));
    return maxOverrideTokens == null ? cap : Math.max(cap, maxOverrideTokens);
  }

  private Integer bound(Integer ceiling, int requested) {
    if (ceiling == null) {
      return requested;
    }
    int limit = maxOverrideTokens == null ? ceiling : Math.max(ceiling, maxOverrideTokens);
    return Math.min(requested, limit);
  }
}
