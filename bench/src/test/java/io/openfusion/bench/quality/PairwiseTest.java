package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.openfusion.bench.quality.Pairwise.Position.A;
import static io.openfusion.bench.quality.Pairwise.Position.B;
import static io.openfusion.bench.quality.Pairwise.Position.TIE;
import static io.openfusion.bench.quality.Pairwise.Position.UNPARSED;
import static io.openfusion.bench.quality.Pairwise.Verdict.FIRST;
import static io.openfusion.bench.quality.Pairwise.Verdict.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

class PairwiseTest {

  private static final Pairwise.Verdict TIE_V = Pairwise.Verdict.TIE;
  private static final Pairwise.Verdict UNPARSED_V = Pairwise.Verdict.UNPARSED;

  @Test
  void positionIsDeterministicPerTaskAndBalancedOverTasks() {
    assertThat(Pairwise.firstIsA("gsm8k-17")).isEqualTo(Pairwise.firstIsA("gsm8k-17"));
    long firstShownAsA = IntStream.range(0, 2000).filter(i -> Pairwise.firstIsA("task-" + i)).count();
    assertThat(firstShownAsA).isBetween(900L, 1100L);
  }

  @Test
  void parsesVerdicts() {
    assertThat(Pairwise.parse("A")).isEqualTo(A);
    assertThat(Pairwise.parse("B.")).isEqualTo(B);
    assertThat(Pairwise.parse("Answer B is better than A")).isEqualTo(B);
    assertThat(Pairwise.parse("tie")).isEqualTo(TIE);
    assertThat(Pairwise.parse("A and B TIE")).isEqualTo(TIE);
    assertThat(Pairwise.parse("a tie-breaker is not needed: A")).isEqualTo(TIE);
    assertThat(Pairwise.parse("ABBA")).isEqualTo(UNPARSED);
    assertThat(Pairwise.parse("")).isEqualTo(UNPARSED);
    assertThat(Pairwise.parse(null)).isEqualTo(UNPARSED);
  }

  @Test
  void mapsPositionsBackToSides() {
    assertThat(Pairwise.toSides(A, true)).isEqualTo(Pairwise.Verdict.FIRST);
    assertThat(Pairwise.toSides(A, false)).isEqualTo(Pairwise.Verdict.SECOND);
    assertThat(Pairwise.toSides(B, true)).isEqualTo(Pairwise.Verdict.SECOND);
    assertThat(Pairwise.toSides(B, false)).isEqualTo(Pairwise.Verdict.FIRST);
    assertThat(Pairwise.toSides(TIE, false)).isEqualTo(Pairwise.Verdict.TIE);
  }

  @Test
  void bothOrdersMakeOneVerdictPerTask() {
    // consistent, or a win in one order and a tie in the other: that side wins
    assertThat(Pairwise.combine(List.of(FIRST, FIRST))).isEqualTo(FIRST);
    assertThat(Pairwise.combine(List.of(TIE_V, SECOND))).isEqualTo(SECOND);
    // each order for the side shown first (A), i.e. opposite sides: the judge followed the position, a tie
    assertThat(Pairwise.combine(List.of(FIRST, SECOND))).isEqualTo(TIE_V);
    assertThat(Pairwise.inconsistent(List.of(FIRST, SECOND))).isTrue();
    assertThat(Pairwise.inconsistent(List.of(FIRST, TIE_V))).isFalse();
    assertThat(Pairwise.combine(List.of(TIE_V, TIE_V))).isEqualTo(TIE_V);
    assertThat(Pairwise.combine(List.of(FIRST, UNPARSED_V))).isEqualTo(UNPARSED_V);
    assertThat(Pairwise.combine(List.of(SECOND))).isEqualTo(SECOND);
    assertThat(Pairwise.orders("t-1", 2)).containsExactly(true, false);
    assertThat(Pairwise.orders("t-1", 1)).containsExactly(Pairwise.firstIsA("t-1"));
  }

  @Test
  void winRateIsOverDecidedTasksAndCountsPositions() {
    List<PairwiseResult.TaskVerdicts> tasks = new ArrayList<>();
    // task 1-3: first wins in both orders (A then B)
    for (int i = 0; i < 3; i++) {
      tasks.add(new PairwiseResult.TaskVerdicts(List.of(FIRST, FIRST), List.of(A, B)));
    }
    tasks.add(new PairwiseResult.TaskVerdicts(List.of(SECOND, SECOND), List.of(B, A)));
    // a judge that always says A: opposite sides, a position-inconsistent tie
    tasks.add(new PairwiseResult.TaskVerdicts(List.of(FIRST, SECOND), List.of(A, A)));
    tasks.add(new PairwiseResult.TaskVerdicts(List.of(UNPARSED_V, FIRST), List.of(UNPARSED, B)));
    tasks.add(null);
    PairwiseResult r = PairwiseResult.of("vote", "solo", "j", 2, tasks, 10, 0.5);
    assertThat(r.decided()).isEqualTo(4);
    assertThat(r.judged()).isEqualTo(6);
    assertThat(r.ties()).isEqualTo(1);
    assertThat(r.inconsistent()).isEqualTo(1);
    assertThat(r.unparsed()).isEqualTo(1);
    assertThat(r.winRate()).isEqualTo(0.75);
    assertThat(r.interval()).isEqualTo(Wilson.of(3, 4));
    // 11 single verdicts picked a position, 6 of them A
    assertThat(r.positionDecided()).isEqualTo(11);
    assertThat(r.positionA()).isEqualTo(6);
  }
}
