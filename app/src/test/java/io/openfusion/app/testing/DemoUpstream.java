package io.openfusion.app.testing;

import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Vertx;

import java.util.List;

/** The simulated demo provider as an upstream fake, on a Vert.x instance of its own that tests may use too. */
public record DemoUpstream(Vertx vertx, DemoProvider provider) {

  public static DemoUpstream start(DemoOptions options) {
    Vertx vertx = Vertx.vertx();
    try {
      return new DemoUpstream(vertx, TestNodes.await(DemoProvider.start(vertx, options), "starting the demo provider"));
    } catch (RuntimeException | Error failure) {
      vertx.close();
      throw failure;
    }
  }

  public String baseUrl() {
    return provider.baseUrl();
  }

  /** Upstream calls whose client went away before the answer ended, since the provider started. */
  public long cancelled() {
    return provider.cancelled();
  }

  public int inFlight() {
    return provider.inFlight();
  }

  /** A panel of {@code panelModels} with the demo's judge and pass-through model, all on this provider. */
  public OpenFusionConfig recipe(List<String> panelModels) {
    List<UpstreamConfig> panel = panelModels.stream()
      .map(m -> new UpstreamConfig(baseUrl(), "", m, null, Provider.OPENAI)).toList();
    return OpenFusionConfig.builder().strategy(Strategy.PANEL).panel(panel)
      .judge(new JudgeConfig(new UpstreamConfig(baseUrl(), "", DemoProvider.JUDGE_MODEL, null, Provider.OPENAI), 120_000))
      .passThrough(new UpstreamConfig(baseUrl(), "", DemoProvider.PASS_THROUGH_MODEL, null, Provider.OPENAI))
      .build();
  }

  public void stop() {
    try {
      TestNodes.await(provider.stop(), "stopping the demo provider");
    } finally {
      TestNodes.await(vertx.close(), "closing the demo provider's Vert.x");
    }
  }
}
