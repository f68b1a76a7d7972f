package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The best single answer of a panel: the ranker's pick (one short judge call), or the first member in panel order when
 * the ranker cannot say. Ranked aggregation answers with it, and so does a fusion whose judge failed before its first
 * word.
 */
final class BestAnswer {

  /** @param fallback why the first answer in panel order was taken instead of the ranker's, or null */
  record Pick(int index, String fallback) {
  }

  private BestAnswer() {
  }

  /** Picks among {@code round.answered()}; a ranker that fails or names no candidate is a fallback, never a failure. */
  static Future<Pick> pick(FusionRequest request, PanelRound round, long deadline) {
    List<MemberOutcome> answered = round.answered();
    if (answered.size() == 1) {
      return Future.succeededFuture(new Pick(0, null));
    }
    Recipe recipe = request.recipe();
    List<String> candidates = answered.stream().map(o -> o.answer().content()).toList();
    MemberCall call = new MemberCall(request.command().requestId(), "ranker", new UpstreamRef(recipe.judge().source(),
      recipe.judge().index(), recipe.judge().model(), "ranker"), RankerPrompt.body(request.messages(), candidates), deadline,
      request.command().caller()).inRecipe(request.ctx().recipeName()).withTrace(request.trace());
    return request.ctx().members().send(call).transform(done -> {
      if (done.failed()) {
        return Future.succeededFuture(new Pick(firstInPanelOrder(recipe, answered),
          "the ranker failed: " + ApiError.from(done.cause(), "panel").getMessage()));
      }
      round.usage().ranker(done.result().usage());
      int winner = RankerPrompt.parse(done.result().content(), candidates.size());
      return Future.succeededFuture(winner >= 0 ? new Pick(winner, null)
        : new Pick(firstInPanelOrder(recipe, answered), "the ranker's reply named no candidate"));
    });
  }

  /** A whole answer picked from the panel: written at once, then the answer's ending. */
  static Future<RunResult> write(FusionRequest request, String content, UsageReport usage, JsonObject extras) {
    request.answer().text(content);
    return request.answer().complete(null, null, usage.total() == null ? null : usage.event(), usage.total(), extras);
  }

  static int firstInPanelOrder(Recipe recipe, List<MemberOutcome> answered) {
    int best = 0;
    for (int i = 1; i < answered.size(); i++) {
      if (panelIndex(recipe, answered.get(i).member()) < panelIndex(recipe, answered.get(best).member())) {
        best = i;
      }
    }
    return best;
  }

  /** Position in the recipe by identity: two members may be equal records (the same model listed twice). */
  static int panelIndex(Recipe recipe, PlannedMember member) {
    for (int i = 0; i < recipe.members().size(); i++) {
      if (recipe.members().get(i) == member) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }
}
