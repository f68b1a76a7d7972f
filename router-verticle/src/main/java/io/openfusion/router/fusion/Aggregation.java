package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.shared.config.Aggregator;
import io.vertx.core.Future;

/** How the panel's answers become one: {@code judge}, {@code vote} or {@code ranked}. */
interface Aggregation {

  static Aggregation of(Aggregator aggregator) {
    return switch (aggregator) {
      case VOTE -> new VoteAggregation();
      case RANKED -> new RankedAggregation();
      case JUDGE -> new JudgeAggregation();
    };
  }

  /** Writes the answer of {@code round} (at least one member answered) and ends it. */
  Future<RunResult> answer(FusionRequest request, PanelRound round);
}
