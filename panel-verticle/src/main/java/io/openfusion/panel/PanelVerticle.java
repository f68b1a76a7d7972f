package io.openfusion.panel;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.calls.CallSlots;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.calls.UpstreamSettings;
import io.openfusion.shared.calls.WorkerConsumer;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Performs one panel-member call per {@link Addresses#PANEL_CALL} request. Every instance on every
 * node consumes the same address, so the event bus spreads members over all panel workers and a new
 * node adds capacity without a restart. At most {@code workers.panel_max_concurrency} calls run on a
 * node at once; the rest wait their turn on it.
 */
public final class PanelVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final Recipes recipes;
  private final Telemetry telemetry;
  private final CallSlots slots;
  private final CancelRegistry cancels = new CancelRegistry();
  private UpstreamClient client;
  private MemberCaller caller;
  private String nodeId;

  public PanelVerticle(OpenFusionConfig config) {
    this(config, Telemetry.withoutMetrics(), CallSlots.unlimited("panel"));
  }

  /**
   * @param telemetry the node's metrics and upstream logs, shared by every instance
   * @param slots     the node's cap on concurrent panel calls, shared by every instance
   */
  public PanelVerticle(OpenFusionConfig config, Telemetry telemetry, CallSlots slots) {
    this(Recipes.of(config), telemetry, slots);
  }

  /** @param recipes the node's config and the named recipes an embedding host registered */
  public PanelVerticle(Recipes recipes, Telemetry telemetry, CallSlots slots) {
    this.config = recipes.base();
    this.recipes = recipes;
    this.telemetry = telemetry;
    this.slots = slots;
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    caller = new MemberCaller(vertx, recipes, client, telemetry);
    nodeId = ClusterView.of(vertx).nodeId();
    MessageConsumer<JsonObject> calls = vertx.eventBus().consumer(Addresses.PANEL_CALL,
      new WorkerConsumer<>(vertx, "panel call", cancels, slots, MemberCall::fromJson,
        call -> new WorkerConsumer.Filing(call.requestId(), call.cancelKey(), call.deadline()),
        // the call's span joins the run that sent it (its trace travels in the request's headers)
        (call, message, cancel) -> caller.call(call.withTrace(telemetry.trace(message.headers())), cancel)
          .map(MemberAnswer::toJson))
        // confirmed on arrival, before any wait for a slot: the router must know at once which node has the call
        .onReceive(this::confirm));
    MessageConsumer<JsonObject> cancellations = cancels.listen(vertx.eventBus());
    return Future.join(calls.completion(), cancellations.completion());
  }

  /** Cancel signals this instance holds now (one per call it runs or waits to run). */
  public int openCancels() {
    return cancels.openCount();
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  /** Tells the router which node has the call, so it can send it elsewhere if this node dies. */
  private void confirm(MemberCall call) {
    if (call.acceptedTo() != null) {
      vertx.eventBus().send(call.acceptedTo(), new JsonObject().put("request_id", call.requestId())
        .put("call_id", call.callId()).put("attempt", call.attempt()).put("node", nodeId));
    }
  }
}
