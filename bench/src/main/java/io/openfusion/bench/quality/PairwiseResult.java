package io.openfusion.bench.quality;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Tallies of one blind pairwise comparison, per task (both orders of a task make one verdict, see
 * {@link Pairwise#combine}). The win rate is over decided tasks: ties, position-inconsistent tasks and unparsed
 * verdicts are left out, and its Wilson interval counts tasks, not judge calls, since the two orders of one task are
 * not independent.
 *
 * @param orders         judge calls per task (2: both orders, 1: one order by task-id hash)
 * @param judged         tasks sent to the judge (both sides answered)
 * @param inconsistent   tasks whose orders gave opposite sides (counted as ties)
 * @param positionA      single verdicts (calls) that picked the answer shown as A
 * @param positionDecided single verdicts that picked A or B; {@code positionA / positionDecided} far from 50 % is a
 *                        position-biased judge
 */
public record PairwiseResult(String first, String second, String judgeModel, int orders, int firstWins, int secondWins,
                             int ties, int inconsistent, int unparsed, int judged, int positionA, int positionDecided,
                             long judgeTokens, double judgeCost) {

  /** One task's verdicts, one per order, with the positions each order used. */
  public record TaskVerdicts(List<Pairwise.Verdict> bySide, List<Pairwise.Position> byPosition) {
  }

  static PairwiseResult of(String first, String second, String judgeModel, int orders, List<TaskVerdicts> tasks,
                           long tokens, double cost) {
    int f = 0;
    int s = 0;
    int t = 0;
    int inc = 0;
    int u = 0;
    int judged = 0;
    int posA = 0;
    int posDecided = 0;
    for (TaskVerdicts v : tasks) {
      if (v == null) {
        continue;
      }
      judged++;
      for (Pairwise.Position p : v.byPosition()) {
        if (p == Pairwise.Position.A || p == Pairwise.Position.B) {
          posDecided++;
          posA += p == Pairwise.Position.A ? 1 : 0;
        }
      }
      if (Pairwise.inconsistent(v.bySide()) && !v.bySide().contains(Pairwise.Verdict.UNPARSED)) {
        inc++;
      }
      switch (Pairwise.combine(v.bySide())) {
        case FIRST -> f++;
        case SECOND -> s++;
        case TIE -> t++;
        case UNPARSED -> u++;
      }
    }
    return new PairwiseResult(first, second, judgeModel, orders, f, s, t, inc, u, judged, posA, posDecided, tokens, cost);
  }

  public int decided() {
    return firstWins + secondWins;
  }

  public double winRate() {
    return decided() == 0 ? Double.NaN : (double) firstWins / decided();
  }

  public Wilson interval() {
    return Wilson.of(firstWins, decided());
  }

  /** Share of decided single verdicts that picked position A (NaN when none). */
  public double positionARate() {
    return positionDecided == 0 ? Double.NaN : (double) positionA / positionDecided;
  }

  JsonObject toJson() {
    Wilson w = interval();
    return new JsonObject().put("first", first).put("second", second).put("judge_model", judgeModel).put("orders", orders)
      .put("first_wins", firstWins).put("second_wins", secondWins).put("ties", ties).put("inconsistent", inconsistent)
      .put("unparsed", unparsed).put("judged", judged).put("decided", decided())
      .put("win_rate", decided() == 0 ? null : winRate()).put("wilson_low", w.low()).put("wilson_high", w.high())
      .put("position_a_picks", positionA).put("position_decided", positionDecided)
      .put("judge_tokens", judgeTokens).put("judge_cost_usd", judgeCost);
  }
}
