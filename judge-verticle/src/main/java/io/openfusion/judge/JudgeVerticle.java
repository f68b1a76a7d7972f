package io.openfusion.judge;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.calls.CallSlots;
import io.openfusion.shared.calls.UpstreamSettings;
import io.openfusion.shared.calls.WorkerConsumer;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/** Synthesizes the panel's answers into one, streaming the text back to the router that asked. */
public final class JudgeVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final Recipes recipes;
  private final Telemetry telemetry;
  private final CallSlots slots;
  private final CancelRegistry cancels = new CancelRegistry();
  private UpstreamClient client;

  public JudgeVerticle(OpenFusionConfig config) {
    this(config, Telemetry.withoutMetrics(), CallSlots.unlimited("judge"));
  }

  /**
   * @param telemetry the node's metrics and upstream logs, shared by every instance
   * @param slots     the node's cap on concurrent syntheses ({@code workers.judge_max_concurrency}), shared by every instance
   */
  public JudgeVerticle(OpenFusionConfig config, Telemetry telemetry, CallSlots slots) {
    this(Recipes.of(config), telemetry, slots);
  }

  /** @param recipes the node's config and the named recipes an embedding host registered */
  public JudgeVerticle(Recipes recipes, Telemetry telemetry, CallSlots slots) {
    this.config = recipes.base();
    this.recipes = recipes;
    this.telemetry = telemetry;
    this.slots = slots;
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    Synthesis synthesis = new Synthesis(recipes, client, new RuntimeKeys(vertx), telemetry);
    MessageConsumer<JsonObject> commands = vertx.eventBus().consumer(Addresses.JUDGE_SYNTHESIZE,
      new WorkerConsumer<>(vertx, "synthesis command", cancels, slots, SynthesisCommand::fromJson,
        command -> new WorkerConsumer.Filing(command.requestId(), null, command.deadline()),
        // the judge's span joins the run that sent the command (its trace travels in the request's headers)
        (command, message, cancel) -> StreamSender.opensStream(message)
          ? synthesis.run(command.withTrace(telemetry.trace(message.headers())),
              StreamSender.answering(StreamPost.of(vertx), message, Deadlines.forParts(command.deadline()),
                command.deadline()), cancel)
            .map((JsonObject) null)
          : Future.failedFuture(ApiError.of(ErrorCode.INTERNAL_ERROR,
              "The synthesis request names no receiver for its text; every node must run the same build"))));
    MessageConsumer<JsonObject> cancellations = cancels.listen(vertx.eventBus());
    // where the router's credits for this instance's text come
    StreamPost streams = StreamPost.of(vertx);
    return Future.join(commands.completion(), cancellations.completion(), streams.ready());
  }

  /** Cancel signals this instance holds now (one per call it runs or waits to run). */
  public int openCancels() {
    return cancels.openCount();
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
