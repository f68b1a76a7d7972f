package io.openfusion.router.fusion;

import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.tracing.RunSpan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One fused request as its run's parts see it.
 *
 * @param judgeParams the client's sampling parameters for the judge (checked against its ceiling)
 * @param answer      where the answer goes
 * @param cancel      completes when the client went away
 * @param span        the run's span ({@link RunSpan#NONE} when the node has no traces)
 */
record FusionRequest(FusionContext ctx, ChatCommand command, Recipe recipe, JsonObject judgeParams, AnswerSink answer,
                     Future<Void> cancel, RunSpan span) {

  /** What the run's bus requests carry so their calls' spans join the run's; null when the node has no traces. */
  TraceHeaders trace() {
    return span.headers();
  }

  JsonArray messages() {
    return command.body().getJsonArray("messages");
  }

  /** The earlier of the request's own deadline and {@code phaseMs} from now. */
  long deadline(long phaseMs) {
    return Math.min(command.deadline(), System.currentTimeMillis() + phaseMs);
  }
}
