package io.openfusion.shared.config;

import java.util.Objects;

/**
 * The judge: the model that reads the panel's answers and writes the final one.
 *
 * @param upstream       where the judge runs
 * @param maxPanelTokens budget (estimated tokens) for the panel answers in the judge prompt;
 *                       the longest answers are truncated first when it is exceeded
 */
public record JudgeConfig(UpstreamConfig upstream, int maxPanelTokens) {

  public static final int DEFAULT_MAX_PANEL_TOKENS = 120_000;

  public JudgeConfig {
    Objects.requireNonNull(upstream, "upstream");
  }

  /** A judge with the default panel token budget. */
  public static JudgeConfig of(UpstreamConfig upstream) {
    return new JudgeConfig(upstream, DEFAULT_MAX_PANEL_TOKENS);
  }

  /** Same budget, another upstream. */
  public JudgeConfig withUpstream(UpstreamConfig upstream) {
    return new JudgeConfig(upstream, maxPanelTokens);
  }
}
