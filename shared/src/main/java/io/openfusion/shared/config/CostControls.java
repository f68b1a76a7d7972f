package io.openfusion.shared.config;

/**
 * Output-token ceilings per phase. {@code null} means unlimited; otherwise the value is >= 1.
 *
 * @param passThroughMaxTokens ceiling for pass-through calls (over it: 400)
 * @param panelMaxTokens       ceiling for panel member calls (clamped)
 * @param judgeMaxTokens       ceiling for the judge call (over it: 400)
 */
public record CostControls(Integer passThroughMaxTokens, Integer panelMaxTokens, Integer judgeMaxTokens) {

  public static CostControls unlimited() {
    return new CostControls(null, null, null);
  }
}
