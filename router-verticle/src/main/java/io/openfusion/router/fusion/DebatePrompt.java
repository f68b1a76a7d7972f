package io.openfusion.router.fusion;

import io.openfusion.shared.chat.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A debate revision: one member sees its own answer and its peers' and writes an improved one. */
final class DebatePrompt {

  private static final String INSTRUCTION = "You answered the request below earlier. Other experts answered the same "
    + "request independently; their answers follow yours. Consider where they are stronger, fix any mistakes of yours, "
    + "and take in whatever they got right. Then write your single improved answer. Do not mention the other experts "
    + "or that you revised your answer.";

  private DebatePrompt() {
  }

  static JsonArray messages(JsonArray conversation, String own, List<String> peers) {
    StringBuilder text = new StringBuilder(INSTRUCTION).append("\n\nRequest:\n");
    JsonArray messages = new JsonArray();
    for (Object item : conversation) {
      if (item instanceof JsonObject message) {
        if ("system".equals(message.getValue("role"))) {
          // the client's instructions still apply to the revised answer
          messages.add(message);
        } else {
          text.append(Json.text(message.getValue("content"))).append('\n');
        }
      }
    }
    text.append("\nYour previous answer:\n").append(own).append("\n\nOther experts' answers:");
    for (int i = 0; i < peers.size(); i++) {
      text.append("\n\n### Expert ").append(i + 1).append('\n').append(peers.get(i));
    }
    return messages.add(new JsonObject().put("role", "user").put("content", text.toString()));
  }
}
