package io.openfusion.shared.tracing;

import io.openfusion.shared.chat.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Prompts and answers in the GenAI conventions' message shape ({@code [{"role", "parts": [{"type", ...}]}]}), for the
 * opt-in {@code gen_ai.input.messages} and {@code gen_ai.output.messages}. Only ever called with
 * {@code telemetry.capture_content} on.
 */
final class Content {

  private Content() {
  }

  /** The chat messages of a request body: text parts, tool calls and tool results; reasoning is left out. */
  static String input(JsonArray messages) {
    JsonArray out = new JsonArray();
    if (messages == null) {
      return out.encode();
    }
    for (Object item : messages) {
      if (!(item instanceof JsonObject message)) {
        continue;
      }
      String role = message.getString("role", "user");
      JsonArray parts = new JsonArray();
      String text = Json.text(message.getValue("content"));
      if ("tool".equals(role)) {
        parts.add(new JsonObject().put("type", "tool_call_response").put("id", message.getValue("tool_call_id"))
          .put("response", text));
      } else if (!text.isEmpty()) {
        parts.add(new JsonObject().put("type", "text").put("content", text));
      }
      if (message.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object call : calls) {
          if (call instanceof JsonObject c && c.getValue("function") instanceof JsonObject function) {
            parts.add(new JsonObject().put("type", "tool_call").put("id", c.getValue("id"))
              .put("name", function.getValue("name")).put("arguments", function.getValue("arguments")));
          }
        }
      }
      out.add(new JsonObject().put("role", role).put("parts", parts));
    }
    return out.encode();
  }

  /** One answer: its text and why it finished. */
  static String output(String text, String finishReason) {
    JsonObject message = new JsonObject().put("role", "assistant")
      .put("parts", new JsonArray().add(new JsonObject().put("type", "text").put("content", text == null ? "" : text)));
    if (finishReason != null) {
      message.put("finish_reason", finishReason);
    }
    return new JsonArray().add(message).encode();
  }
}
