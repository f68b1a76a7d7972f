package io.openfusion.router.fusion;

import io.openfusion.shared.dispatch.MemberDispatch;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.router.cache.ResponseCache;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

/**
 * What every fused request of one router instance shares.
 *
 * @param responseCache null when the response cache is off
 * @param context       the router instance's context
 * @param recipeName    the named recipe {@code config} is, stamped on every member call and synthesis so the workers
 *                      read the same recipe; null for the node's own config
 */
record FusionContext(OpenFusionConfig config, EventBus eventBus, MemberDispatch members, PanelFanOut fanOut,
                     UpstreamClient client, ResponseCache responseCache, Telemetry telemetry, Context context,
                     String recipeName) {

  /** The fan-out's outcome as the future the run goes on with, completed on the router instance's context. */
  <T> Future<T> gathered(Single<T> outcomes) {
    return Future.fromCompletionStage(outcomes.toCompletionStage(), context);
  }
}
