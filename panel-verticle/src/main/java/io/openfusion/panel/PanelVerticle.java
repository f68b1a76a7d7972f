package io.openfusion.panel;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.UpstreamFailures;
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
 * node adds capacity without a restart.
 */
public final class PanelVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final Telemetry telemetry;
  private final CancelRegistry cancels = new CancelRegistry();
  private UpstreamClient client;
  private MemberCaller caller;

  public PanelVerticle(OpenFusionConfig config) {
    this(config, Telemetry.withoutMetrics());
  }

  /** @param telemetry the node's metrics and upstream logs, shared by every instance */
  public PanelVerticle(OpenFusionConfig config, Telemetry telemetry) {
    this.config = config;
    this.telemetry = telemetry;
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    caller = new MemberCaller(vertx, config, client, telemetry);
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
    CancelRegistry.Signal cancel = cancels.open(call.requestId(), call.callId());
    caller.call(call, cancel.future())
      .onComplete(done -> cancel.close())
      .onSuccess(answer -> message.reply(answer.toJson()))
      .onFailure(failure -> UpstreamFailures.toApiError(failure).failReply(message));
  }
}
