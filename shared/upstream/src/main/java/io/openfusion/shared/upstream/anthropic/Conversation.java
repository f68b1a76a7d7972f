package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits OpenAI {@code messages} into Anthropic's top-level {@code system} and its user/assistant turns.
 * <ul>
 *   <li>Every {@code system} (and {@code developer}) message is kept, in order; the original kept only the last.</li>
 *   <li>{@code tool} results become {@code tool_result} blocks of a user turn; assistant {@code tool_calls} become
 *       {@code tool_use} blocks after the assistant's text.</li>
 *   <li>Consecutive turns of the same role are merged, so the parallel tool results of one assistant turn arrive as
 *       one user turn, as Anthropic expects, and dropped empty messages cannot break the alternation.</li>
 * </ul>
 */
final class Conversation {

  private Conversation() {
  }

  /**
   * @return {@code null} when there is no system text; a list of text blocks when any system part carries
   *     {@code cache_control} (a plain string would lose the cache breakpoint); otherwise the texts of all system
   *     messages joined with a blank line
   */
  static Object system(JsonArray messages) {
    JsonArray blocks = new JsonArray();
    List<String> texts = new ArrayList<>();
    boolean cached = false;
    for (Object m : messages) {
      if (m instanceof JsonObject msg && isSystem(msg.getValue("role"))) {
        JsonArray own = Contents.textBlocks(msg.getValue("content"));
        for (Object b : own) {
          cached |= ((JsonObject) b).containsKey("cache_control");
        }
        blocks.addAll(own);
        String text = Contents.text(msg.getValue("content"));
        if (!text.isEmpty()) {
          texts.add(text);
        }
      }
    }
    if (blocks.isEmpty()) {
      return null;
    }
    return cached ? blocks : String.join("\n\n", texts);
  }

  /** @return the user/assistant turns; a turn that is a single plain text block is sent as a string */
  static JsonArray turns(JsonArray messages) {
    JsonArray turns = new JsonArray();
    for (Object m : messages) {
      if (!(m instanceof JsonObject msg)) {
        continue;
      }
      Object role = msg.getValue("role");
      if (isSystem(role)) {
        continue;
      }
      if ("assistant".equals(role)) {
        append(turns, "assistant", assistantBlocks(msg));
      } else if ("tool".equals(role)) {
        append(turns, "user", new JsonArray().add(toolResult(msg)));
      } else {
        append(turns, "user", Contents.userBlocks(msg.getValue("content")));
      }
    }
    for (Object t : turns) {
      collapse((JsonObject) t);
    }
    return turns;
  }

  private static boolean isSystem(Object role) {
    return "system".equals(role) || "developer".equals(role);
  }

  private static JsonArray assistantBlocks(JsonObject msg) {
    JsonArray blocks = Contents.textBlocks(msg.getValue("content"));
    if (msg.getValue("tool_calls") instanceof JsonArray calls) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.getValue(i) instanceof JsonObject call && call.getValue("function") instanceof JsonObject fn
            && fn.getValue("name") instanceof String name) {
          // Anthropic requires an id on every tool_use; OpenAI clients always send one, so the fallback only keeps
          // a malformed history from failing the whole call.
          String id = call.getValue("id") instanceof String s && !s.isBlank() ? s : "call_" + i;
          blocks.add(new JsonObject().put("type", "tool_use").put("id", id).put("name", name)
              .put("input", arguments(fn.getValue("arguments"))));
        }
      }
    }
    return blocks;
  }

  private static JsonObject toolResult(JsonObject msg) {
    JsonObject block = new JsonObject().put("type", "tool_result")
        .put("tool_use_id", msg.getValue("tool_call_id") instanceof String id ? id : "");
    String text = Contents.text(msg.getValue("content"));
    if (!text.isEmpty()) {
      block.put("content", text);
    }
    return block;
  }

  /** OpenAI sends arguments as JSON text; Anthropic wants an object. Unparseable or non-object text becomes {}. */
  static JsonObject arguments(Object arguments) {
    if (arguments instanceof JsonObject o) {
      return o.copy();
    }
    if (arguments instanceof String s && !s.isBlank()) {
      try {
        return new JsonObject(s);
      } catch (RuntimeException notAnObject) {
        return new JsonObject();
      }
    }
    return new JsonObject();
  }

  private static void append(JsonArray turns, String role, JsonArray blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    JsonObject last = turns.isEmpty() ? null : turns.getJsonObject(turns.size() - 1);
    if (last != null && role.equals(last.getString("role"))) {
      last.getJsonArray("content").addAll(blocks);
    } else {
      turns.add(new JsonObject().put("role", role).put("content", blocks));
    }
  }

  private static void collapse(JsonObject turn) {
    JsonArray blocks = turn.getJsonArray("content");
    if (blocks.size() == 1) {
      JsonObject only = blocks.getJsonObject(0);
      if ("text".equals(only.getString("type")) && !only.containsKey("cache_control")) {
        turn.put("content", only.getString("text"));
      }
    }
  }
}
