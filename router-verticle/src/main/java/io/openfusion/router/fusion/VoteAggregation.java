package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.List;

/** {@code aggregator: vote}: the majority answer, with no model call; ties go to the earliest member in panel order. */
final class VoteAggregation implements Aggregation {

  @Override
  public Future<RunResult> answer(FusionRequest request, PanelRound round) {
    // ties go to the earliest member in panel order, whatever order the answers arrived in
    List<MemberOutcome> answered = round.answered().stream()
      .sorted(Comparator.comparingInt(o -> BestAnswer.panelIndex(request.recipe(), o.member()))).toList();
    Vote.Result result = Vote.pick(answered.stream().map(o -> o.answer().content()).toList());
    request.answer().progress("progress", new JsonObject().put("stage", "vote").put("message", "Majority vote over panel answers")
      .put("panel_count", answered.size()).put("failed_count", round.failed())
      .put("agreement", result.agreement()).put("winner", answered.get(result.winner()).label()));
    return BestAnswer.write(request, answered.get(result.winner()).answer().content(), round.usage(), new JsonObject());
  }
}
