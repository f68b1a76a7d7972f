package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;

import static io.openfusion.bench.quality.Scoring.Method.CONTAINS;
import static io.openfusion.bench.quality.Scoring.Method.EXACT;
import static io.openfusion.bench.quality.Scoring.Method.NUMERIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScoringTest {

  @Test
  void normalizesCaseSpaceAndTrailingPunctuation() {
    assertThat(Scoring.normalize("  Paris.  ")).isEqualTo("paris");
    assertThat(Scoring.normalize("New   York\tCity!?")).isEqualTo("new york city");
    // NFKC folds full-width letters and the ﬁ ligature
    assertThat(Scoring.normalize("ＰＡＲＩＳ")).isEqualTo("paris");
    assertThat(Scoring.normalize("ﬁne;")).isEqualTo("fine");
    assertThat(Scoring.normalize(null)).isEmpty();
  }

  @Test
  void exactComparesNormalizedText() {
    assertThat(Scoring.score(EXACT, "Paris.", "paris")).isTrue();
    assertThat(Scoring.score(EXACT, "The answer is Paris", "paris")).isFalse();
  }

  @Test
  void containsLooksForTheReferenceInside() {
    assertThat(Scoring.score(CONTAINS, "The capital is PARIS, of course.", "Paris")).isTrue();
    assertThat(Scoring.score(CONTAINS, "Lyon", "Paris")).isFalse();
  }

  @Test
  void numericComparesTheLastNumber() {
    assertThat(Scoring.score(NUMERIC, "First 3, then 40 apples; the answer is $1,234.50.", "1234.5")).isTrue();
    assertThat(Scoring.score(NUMERIC, "The answer is 42", "42.0")).isTrue();
    assertThat(Scoring.score(NUMERIC, "It is 41 or 42, probably 41", "42")).isFalse();
    assertThat(Scoring.score(NUMERIC, "-7", "-7")).isTrue();
    assertThat(Scoring.score(NUMERIC, "no number here", "1")).isFalse();
    assertThat(Scoring.lastNumber("x = 1,000,000")).isEqualTo(1_000_000.0);
  }

  @Test
  void judgeNeedsAGraderCall() {
    assertThatThrownBy(() -> Scoring.score(Scoring.Method.JUDGE, "a", "b")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Scoring.Method.parse("Numeric")).isEqualTo(NUMERIC);
    assertThat(Scoring.Method.parse(null)).isEqualTo(EXACT);
    assertThatThrownBy(() -> Scoring.Method.parse("fuzzy")).hasMessageContaining("exact, contains, numeric, judge, rubric or none");
    assertThat(Scoring.Method.parse("rubric")).isEqualTo(Scoring.Method.RUBRIC);
    assertThat(Scoring.Method.parse("none")).isEqualTo(Scoring.Method.NONE);
    assertThatThrownBy(() -> Scoring.score(Scoring.Method.NONE, "a", "")).isInstanceOf(IllegalArgumentException.class);
  }
}
