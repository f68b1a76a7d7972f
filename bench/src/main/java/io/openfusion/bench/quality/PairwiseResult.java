package io.openfusion.bench.quality;

import io.vertx.core.json.JsonObject;

/**
 * Tallies of one blind pairwise comparison. The win rate is over decided tasks (ties and unparsed verdicts excluded).
 *
 * @param judged   tasks sent to the judge (both sides answered)
 * @param firstAsA how many of those showed the first side as answer A (about half, by the task-id hash)
 */
public record PairwiseResult(String first, String second, String judgeModel, int firstWins, int secondWins, int ties,
                             int unparsed, int judged, int firstAsA, long judgeTokens, double judgeCost) {

  static PairwiseResult of(String first, String second, String judgeModel, Pairwise.Verdict[] verdicts, int firstAsA,
                           long tokens, double cost) {
    int f = 0;
    int s = 0;
    int t = 0;
    int u = 0;
    int judged = 0;
    for (Pairwise.Verdict v : verdicts) {
      if (v == null) {
        continue;
      }
      judged++;
      switch (v) {
        case FIRST -> f++;
        case SECOND -> s++;
        case TIE -> t++;
        case UNPARSED -> u++;
      }
    }
    return new PairwiseResult(first, second, judgeModel, f, s, t, u, judged, firstAsA, tokens, cost);
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

  JsonObject toJson() {
    Wilson w = interval();
    return new JsonObject().put("first", first).put("second", second).put("judge_model", judgeModel)
      .put("first_wins", firstWins).put("second_wins", secondWins).put("ties", ties).put("unparsed", unparsed)
      .put("judged", judged).put("decided", decided()).put("first_shown_as_a", firstAsA)
      .put("win_rate", decided() == 0 ? null : winRate()).put("wilson_low", w.low()).put("wilson_high", w.high())
      .put("judge_tokens", judgeTokens).put("judge_cost_usd", judgeCost);
  }
}
