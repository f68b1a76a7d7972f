package io.openfusion.shared.config;

import java.util.Objects;

/**
 * The judge: the model that reads the panel's answers and writes the final one.
 *
 * @param upstream       where the judge runs
 * @param maxPanelTokens budget (estimated tokens) for the panel answers in the judge prompt;
 *                       the longest answers are truncated first when it is exceeded
 * @param fallbackToPanel when the judge fails before writing anything, answer with the best panel
 *                        answer instead of an error
 */
public record JudgeConfig(UpstreamConfig upstream, int maxPanelTokens, boolean fallbackToPanel) {

  public static final int DEFAULT_MAX_PANEL_TOKENS = 120_000;

  public JudgeConfig {
    Objects.requireNonNull(upstream, "upstream");
  }

  /** A judge that falls back to the panel's best answer when it fails (the default). */
  public JudgeConfig(UpstreamConfig upstream, int maxPanelTokens) {
    this(upstream, maxPanelTokens, true);
  }

  /** A judge with the default panel token budget. */
  public static JudgeConfig of(UpstreamConfig upstream) {
    return new JudgeConfig(upstream, DEFAULT_MAX_PANEL_TOKENS);
  }

  /** Same budget, another upstream. */
  public JudgeConfig withUpstream(UpstreamConfig upstream) {
    return new JudgeConfig(upstream, maxPanelTokens, fallbackToPanel);
  }
}
