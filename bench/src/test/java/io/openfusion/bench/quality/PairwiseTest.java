package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static io.openfusion.bench.quality.Pairwise.Position.A;
import static io.openfusion.bench.quality.Pairwise.Position.B;
import static io.openfusion.bench.quality.Pairwise.Position.TIE;
import static io.openfusion.bench.quality.Pairwise.Position.UNPARSED;
import static org.assertj.core.api.Assertions.assertThat;

class PairwiseTest {

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
  void winRateIsOverDecidedTasks() {
    Pairwise.Verdict[] v = {Pairwise.Verdict.FIRST, Pairwise.Verdict.FIRST, Pairwise.Verdict.FIRST, Pairwise.Verdict.SECOND,
      Pairwise.Verdict.TIE, Pairwise.Verdict.UNPARSED, null};
    PairwiseResult r = PairwiseResult.of("vote", "solo", "j", v, 3, 10, 0.5);
    assertThat(r.decided()).isEqualTo(4);
    assertThat(r.judged()).isEqualTo(6);
    assertThat(r.winRate()).isEqualTo(0.75);
    assertThat(r.interval()).isEqualTo(Wilson.of(3, 4));
  }
}
