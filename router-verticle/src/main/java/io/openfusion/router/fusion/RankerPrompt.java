package io.openfusion.router.fusion;

import io.openfusion.shared.chat.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ranked aggregator's one short judge call: which candidate is best? */
final class RankerPrompt {

  static final int MAX_TOKENS = 8;
  private static final String INSTRUCTION = "You are judging candidate answers to the same request. Reply with only the "
    + "number of the single best answer: the most correct, complete and useful one. Output the number and nothing else.";
  private static final Pattern FIRST_INTEGER = Pattern.compile("\\d+");

  private RankerPrompt() {
  }

  static JsonObject body(JsonArray conversation, List<String> answers) {
    StringBuilder user = new StringBuilder(INSTRUCTION).append("\n\nRequest:\n");
    for (Object item : conversation) {
      if (item instanceof JsonObject message && !"system".equals(message.getValue("role"))) {
        user.append(Json.text(message.getValue("content"))).append('\n');
      }
    }
    user.append("\nCandidate answers:");
    for (int i = 0; i < answers.size(); i++) {
      user.append("\n\n[").append(i + 1).append("] ").append(answers.get(i));
    }
    return new JsonObject()
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", INSTRUCTION))
        .add(new JsonObject().put("role", "user").put("content", user.toString())))
      .put("max_tokens", MAX_TOKENS)
      .put("temperature", 0);
  }

  /** The 0-based index the ranker chose, or -1 when its reply names no candidate. */
  static int parse(String reply, int candidates) {
    Matcher m = FIRST_INTEGER.matcher(reply == null ? "" : reply);
    if (!m.find()) {
      return -1;
    }
    try {
      int choice = Integer.parseInt(m.group()) - 1;
      return choice >= 0 && choice < candidates ? choice : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
