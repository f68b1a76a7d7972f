package io.openfusion.router.fusion;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.eventbus.EventBus;

/** What every fused request of one router instance shares. */
record FusionContext(OpenFusionConfig config, EventBus eventBus, PanelFanOut fanOut, UpstreamClient client) {
}
