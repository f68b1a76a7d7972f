package io.openfusion.shared.demo;

import io.openfusion.shared.demo.impl.DemoAnswers;
import io.openfusion.shared.demo.impl.DemoTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoAnswersTest {

  private static JsonArray user(String text) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", text));
  }

  private static JsonArray withSystem(String system, String text) {
    return new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", system))
      .add(new JsonObject().put("role", "user").put("content", text));
  }

  @Test
  void personasStayShortAndLabelled() {
    for (String prompt : List.of("hi", "What is the capital of France?",
      "Write a detailed comparison of event loops and thread pools for a high-traffic web proxy service")) {
      for (String model : List.of("demo/atlas", "demo/birch", "demo/cedar", "demo/judge", "demo/other")) {
        String text = DemoAnswers.answer(model, user(prompt)).full();
        assertThat(text).startsWith("[simulated " + model + "]");
        assertThat(text.split("\\s+").length).as(model + ": " + text).isBetween(25, 85);
      }
    }
  }

  @Test
  void usesTheLastUserTurnAndTextParts() {
    JsonArray messages = new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "first question about llamas"))
      .add(new JsonObject().put("role", "assistant").put("content", "an answer"))
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "second question about otters"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:x")))));
    String text = DemoAnswers.answer("demo/atlas", messages).text();
    assertThat(text).contains("otters").doesNotContain("llamas");
  }

  @Test
  void tokensRebuildTheTextExactly() {
    String text = DemoAnswers.answer("demo/birch", user("Plan a trip")).full();
    DemoTokens.Plan plan = DemoTokens.plan(DemoAnswers.Answer.of(text), null, null, 10_000);
    assertThat(plan.text()).isEqualTo(text);
    assertThat(plan.finishReason()).isEqualTo("stop");
    assertThat(plan.tokens()).allMatch(t -> !t.isBlank());
  }

  @Test
  void exactTokensKeepTheAnalysisTrailerWhole() {
    JsonArray messages = withSystem("... then a line with exactly ===ANALYSIS=== and JSON",
      "Original user request:\nq\n\nPanel answers:\n### a\nalpha answer text here\n\n### b\nbeta reply words");
    DemoAnswers.Answer answer = DemoAnswers.answer(DemoProvider.JUDGE_MODEL, messages);
    assertThat(answer.trailer()).startsWith("===ANALYSIS===\n");

    DemoTokens.Plan padded = DemoTokens.plan(answer, 400, null, 10_000);
    assertThat(padded.tokens()).hasSize(400);
    String text = padded.text();
    String json = text.substring(text.indexOf("\n===ANALYSIS===\n") + "\n===ANALYSIS===\n".length());
    assertThat(new JsonObject(json).getString("consensus")).isNotBlank();

    DemoTokens.Plan cut = DemoTokens.plan(answer, 10, null, 10_000);
    assertThat(cut.tokens()).hasSize(10);
    assertThat(cut.text()).doesNotContain("===ANALYSIS===");

    DemoTokens.Plan capped = DemoTokens.plan(answer, 400, 50, 10_000);
    assertThat(capped.tokens()).hasSize(50);
    assertThat(capped.finishReason()).isEqualTo("length");
    assertThat(DemoTokens.plan(answer, 0, null, 10_000).tokens()).isEmpty();
  }

  @Test
  void judgeCountsSectionsAndReportsAgreement() {
    String user = "Original user request:\nHow do tides work?\n\nPanel answers:\n"
      + "### m1\nTides come from the moon's gravity pulling the oceans.\n\n"
      + "### m2\nThe moon's gravity and the sun's gravity together raise tides; spring tides are larger.";
    String text = DemoAnswers.answer(DemoProvider.JUDGE_MODEL, user(user)).full();
    assertThat(text).contains("2 panel answers").contains("(m1, m2)").contains("'gravity'")
      .contains("How do tides work").doesNotContain("===ANALYSIS===");

    String one = DemoAnswers.answer(DemoProvider.JUDGE_MODEL, user("Panel answers:\n### solo\nJust one answer here."))
      .full();
    assertThat(one).contains("1 panel answer").contains("only one panel answer");
  }

  @Test
  void routerAndRankerPromptsGetBareReplies() {
    String classify = "Decide whether ... Reply with exactly one word: FUSE or SOLO.";
    assertThat(DemoAnswers.answer("demo/atlas", withSystem(classify, "hi")).text()).isEqualTo("SOLO");
    assertThat(DemoAnswers.answer("demo/atlas", withSystem(classify, "Compare Raft and Paxos")).text())
      .isEqualTo("FUSE");

    String route = "Choose how to answer.\n- demo/atlas (fast)\n- demo/cedar (strong)\n\nReply with just FUSE or one model id.";
    assertThat(DemoAnswers.answer("demo/judge", withSystem(route, "hi")).text()).isEqualTo("demo/atlas");

    String rank = "You are judging candidate answers. Reply with ONLY the number of the single best answer.";
    String reply = DemoAnswers.answer("demo/judge", withSystem(rank, "Request:\nq\n\nCandidate answers:\n[1] a\n\n[2] b\n\n[3] c"))
      .text();
    assertThat(Integer.parseInt(reply)).isBetween(1, 3);
  }

  @Test
  void optionsValidateAndRoundTrip() {
    DemoOptions o = DemoOptions.interactive().withPort(8123);
    assertThat(DemoOptions.fromJson(o.toJson())).isEqualTo(o);
    assertThat(DemoOptions.instant().firstTokenDelayMs()).isZero();
    assertThat(DemoOptions.interactive().host()).isEqualTo("127.0.0.1");
  }
}
