package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code aggregator: ranked}: one short judge call picks the best answer, returned verbatim. */
final class RankedAggregation implements Aggregation {

  @Override
  public Future<RunResult> answer(FusionRequest request, PanelRound round) {
    long deadline = request.deadline(request.ctx().config().timeouts().judge().toMillis());
    return BestAnswer.pick(request, round, deadline).compose(pick -> {
      JsonObject event = new JsonObject().put("stage", "ranked").put("message", "Selecting the best panel answer")
        .put("panel_count", round.answered().size()).put("failed_count", round.failed())
        .put("winner", pick.index()).put("winner_label", round.answered().get(pick.index()).label());
      if (pick.fallback() != null) {
        event.put("fallback", pick.fallback());
      }
      request.answer().progress("progress", event);
      return BestAnswer.write(request, round.answered().get(pick.index()).answer().content(), round.usage(),
        new JsonObject());
    });
  }
}
