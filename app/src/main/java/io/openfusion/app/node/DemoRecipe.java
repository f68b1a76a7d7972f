package io.openfusion.app.node;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.demo.DemoProvider;

import java.util.List;

/**
 * Points a recipe at the simulated provider: three demo panel members, a demo judge and a demo
 * pass-through model, all on the embedded endpoint. Everything else (limits, timeouts, listener) stays
 * as configured, so the demo exercises the real request path.
 */
public final class DemoRecipe {

  private DemoRecipe() {
  }

  public static OpenFusionConfig apply(OpenFusionConfig config, String demoBaseUrl) {
    List<UpstreamConfig> panel = DemoProvider.PANEL_MODELS.stream()
      .map(model -> new UpstreamConfig(demoBaseUrl, "", model, null, Provider.OPENAI))
      .toList();
    int maxPanelTokens = config.judge() == null ? 120_000 : config.judge().maxPanelTokens();
    return config.toBuilder()
      .preset(null)
      .strategy(Strategy.PANEL)
      .aggregator(config.aggregator() == null ? Aggregator.JUDGE : config.aggregator())
      .panel(panel)
      .judge(new JudgeConfig(new UpstreamConfig(demoBaseUrl, "", DemoProvider.JUDGE_MODEL, null, Provider.OPENAI), maxPanelTokens))
      .passThrough(new UpstreamConfig(demoBaseUrl, "", DemoProvider.PASS_THROUGH_MODEL, null, Provider.OPENAI))
      .build();
  }
}
