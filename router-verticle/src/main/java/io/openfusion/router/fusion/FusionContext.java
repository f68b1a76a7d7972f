package io.openfusion.router.fusion;

import io.openfusion.router.dispatch.MemberDispatch;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.router.cache.ResponseCache;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.eventbus.EventBus;

/** What every fused request of one router instance shares. */
/** @param responseCache null when the response cache is off */
record FusionContext(OpenFusionConfig config, EventBus eventBus, MemberDispatch members, PanelFanOut fanOut, UpstreamClient client,
                     ResponseCache responseCache, Telemetry telemetry) {
}
