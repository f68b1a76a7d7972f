package io.openfusion.judge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JudgePromptTest {

  private static JsonArray answers(String... contents) {
    JsonArray answers = new JsonArray();
    for (int i = 0; i < contents.length; i++) {
      answers.add(new JsonObject().put("label", "m" + i).put("content", contents[i]));
    }
    return answers;
  }

  @Test
  void longestAnswersAreShortenedFirstUntilTheBudgetFits() {
    List<String[]> fitted = JudgePrompt.fitToBudget(answers("a".repeat(4000), "b".repeat(1000)), 500);
    long total = fitted.stream().mapToLong(a -> a[1].length()).sum();
    assertThat(total).isLessThanOrEqualTo(500 * 4 + 2 * 20);
    assertThat(fitted.get(0)[1]).endsWith("...[truncated]");
  }

  @Test
  void aBudgetBelowTheFloorStopsInsteadOfLooping() {
    List<String[]> fitted = JudgePrompt.fitToBudget(answers("a".repeat(210), "b".repeat(5000)), 1);
    assertThat(fitted.get(0)[1]).hasSize(210);
    assertThat(fitted.get(1)[1].length()).isLessThan(300);
  }

  @Test
  void systemPromptsAreKeptAndThePanelJoinsTheLastUserTurn() {
    JsonArray conversation = new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", "Reply in haiku."))
      .add(new JsonObject().put("role", "user").put("content", "first"))
      .add(new JsonObject().put("role", "assistant").put("content", "reply"))
      .add(new JsonObject().put("role", "user").put("content", "second"));

    JsonArray messages = JudgePrompt.messages(conversation, answers("one", "two"), true, 1000);

    String system = messages.getJsonObject(0).getString("content");
    assertThat(system).contains("consensus", "contradictions", "partial coverage", "unique insights", "blind spots",
      "Reply in haiku.", AnalysisSplitter.SENTINEL);
    assertThat(messages).hasSize(4);
    assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("first");
    assertThat(messages.getJsonObject(3).getString("content")).startsWith("second").contains("### Answer 1\none", "### Answer 2\ntwo");
  }
}
