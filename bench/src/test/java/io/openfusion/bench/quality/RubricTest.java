package io.openfusion.bench.quality;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RubricTest {

  private static final List<RubricItem> ITEMS = List.of(
    new RubricItem("covers A", 5, null), new RubricItem("covers B", 3, null), new RubricItem("covers C", 2, null),
    new RubricItem("makes a dangerous mistake", -6, null));

  @Test
  void scoresTheMetWeightsOverThePositiveWeights() {
    assertThat(Rubric.score(ITEMS, new boolean[] {true, true, true, false})).isEqualTo(1.0);
    assertThat(Rubric.score(ITEMS, new boolean[] {true, false, false, false})).isCloseTo(0.5, within(1e-12));
    // a penalty subtracts its weight: (5 + 3 - 6) / 10
    assertThat(Rubric.score(ITEMS, new boolean[] {true, true, false, true})).isCloseTo(0.2, within(1e-12));
    // and the score never goes below 0
    assertThat(Rubric.score(ITEMS, new boolean[] {false, false, true, true})).isEqualTo(0.0);
    assertThatThrownBy(() -> Rubric.score(ITEMS, new boolean[] {true})).hasMessageContaining("expected 4 verdicts");
  }

  @Test
  void readsTheGradersVerdicts() {
    assertThat(Rubric.parseMet("{\"met\": [true, false, true, false]}", 4)).containsExactly(true, false, true, false);
    assertThat(Rubric.parseMet("Here you go:\n```json\n{\"met\": [\"yes\", \"no\", 1, \"met\"]}\n```", 4))
      .containsExactly(true, false, true, true);
    assertThat(Rubric.parseMet("[false, false]", 2)).containsExactly(false, false);
    assertThatThrownBy(() -> Rubric.parseMet("{\"met\": [true]}", 2)).hasMessageContaining("1 verdicts for 2 criteria");
    assertThatThrownBy(() -> Rubric.parseMet("I think most are met", 2)).hasMessageContaining("no {\"met\"");
    assertThatThrownBy(() -> Rubric.parseMet("{\"met\": [true, \"maybe\"]}", 2)).hasMessageContaining("verdict 2");
    assertThatThrownBy(() -> Rubric.parseMet("", 2)).hasMessageContaining("empty");
  }

  @Test
  void theGraderSeesEveryCriterionNumberedAndAnAnswerOfBoundedSize() {
    Task t = new Task("r", "Why?", "", Scoring.Method.RUBRIC, ITEMS, "Medicine");
    String prompt = Rubric.userPrompt(t, "x".repeat(Rubric.MAX_ANSWER_CHARS + 500));
    assertThat(prompt).startsWith("Question:\nWhy?\n\nAnswer:\n").contains("...[truncated]")
      .contains("Criteria (4):\n1. covers A\n2. covers B\n3. covers C\n4. makes a dangerous mistake\n")
      .endsWith("exactly 4 booleans.");
    assertThat(prompt.length()).isLessThan(Rubric.MAX_ANSWER_CHARS + 400);
    assertThat(Rubric.messages(t, "a").getJsonObject(0).getString("content")).contains("{\"met\"");
  }

  @Test
  void aRubricWithoutPositiveWeightIsRejected() {
    assertThatThrownBy(() -> new Task("r", "q", "", Scoring.Method.RUBRIC, List.of(new RubricItem("bad", -1, null)), null))
      .hasMessageContaining("positive weight");
  }
}
