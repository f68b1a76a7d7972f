package io.openfusion.shared.calls;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.TimeoutsConfig;
import io.openfusion.shared.upstream.UpstreamOptions;

/** Upstream client options derived from the recipe's timeouts. */
public final class UpstreamSettings {

  private UpstreamSettings() {
  }

  public static UpstreamOptions from(OpenFusionConfig config) {
    UpstreamOptions defaults = UpstreamOptions.defaults();
    TimeoutsConfig timeouts = config.timeouts();
    return new UpstreamOptions(
      timeouts.connect().toMillis(),
      timeouts.firstToken().toMillis(),
      timeouts.idle().toMillis(),
      defaults.maxPoolSize(),
      defaults.maxEventBytes(),
      defaults.maxResponseBytes());
  }
}
