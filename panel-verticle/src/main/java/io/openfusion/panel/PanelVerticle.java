package io.openfusion.panel;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.calls.CallSlots;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.upstream.UpstreamFailures;
import io.openfusion.shared.calls.UpstreamSettings;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
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
    this.config = config;
    this.telemetry = telemetry;
    this.slots = slots;
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    caller = new MemberCaller(vertx, config, client, telemetry);
    nodeId = ClusterView.of(vertx).nodeId();
    MessageConsumer<JsonObject> calls = vertx.eventBus().consumer(Addresses.PANEL_CALL, this::call);
    MessageConsumer<JsonObject> cancellations = cancels.listen(vertx.eventBus());
    return Future.all(calls.completion(), cancellations.completion());
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private void call(Message<JsonObject> message) {
    MemberCall call;
    try {
      call = MemberCall.fromJson(message.body());
    } catch (RuntimeException malformed) {
      message.fail(400, "malformed panel call: " + malformed.getMessage());
      return;
    }
    if (call.acceptedTo() != null) {
      // tell the router which node has the call, so it can send it elsewhere if this node dies
      vertx.eventBus().send(call.acceptedTo(), new JsonObject().put("request_id", call.requestId())
        .put("call_id", call.callId()).put("attempt", call.attempt()).put("node", nodeId));
    }
    CancelRegistry.Signal cancel = cancels.open(call.requestId(), call.cancelKey());
    slots.run(vertx, call.deadline(), cancel.future(), () -> caller.call(call, cancel.future()))
      .onComplete(done -> cancel.close())
      .onSuccess(answer -> message.reply(answer.toJson()))
      .onFailure(failure -> UpstreamFailures.toApiError(failure).failReply(message));
  }
}
