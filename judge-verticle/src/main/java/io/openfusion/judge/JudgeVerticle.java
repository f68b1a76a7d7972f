package io.openfusion.judge;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.calls.CallSlots;
import io.openfusion.shared.calls.UpstreamSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/** Synthesizes the panel's answers into one, streaming it straight to the client's api instance. */
public final class JudgeVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final Telemetry telemetry;
  private final CallSlots slots;
  private final CancelRegistry cancels = new CancelRegistry();
  private UpstreamClient client;
  private Synthesis synthesis;

  public JudgeVerticle(OpenFusionConfig config) {
    this(config, Telemetry.withoutMetrics(), CallSlots.unlimited("judge"));
  }

  /**
   * @param telemetry the node's metrics and upstream logs, shared by every instance
   * @param slots     the node's cap on concurrent syntheses ({@code workers.judge_max_concurrency}), shared by every instance
   */
  public JudgeVerticle(OpenFusionConfig config, Telemetry telemetry, CallSlots slots) {
    this.config = config;
    this.telemetry = telemetry;
    this.slots = slots;
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    synthesis = new Synthesis(config, client, vertx.eventBus(), new RuntimeKeys(vertx), telemetry);
    MessageConsumer<JsonObject> commands = vertx.eventBus().consumer(Addresses.JUDGE_SYNTHESIZE, this::synthesize);
    MessageConsumer<JsonObject> cancellations = cancels.listen(vertx.eventBus());
    return Future.all(commands.completion(), cancellations.completion());
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private void synthesize(Message<JsonObject> message) {
    SynthesisCommand command;
    try {
      command = SynthesisCommand.fromJson(message.body());
    } catch (RuntimeException malformed) {
      message.fail(400, "malformed synthesis command: " + malformed.getMessage());
      return;
    }
    CancelRegistry.Signal cancel = cancels.open(command.requestId());
    slots.run(vertx, command.deadline(), cancel.future(), () -> synthesis.run(command, cancel.future()))
      .onComplete(done -> cancel.close())
      .onSuccess(result -> message.reply(result.toJson()))
      .onFailure(failure -> ApiError.from(failure, "judge").failReply(message));
  }
}
