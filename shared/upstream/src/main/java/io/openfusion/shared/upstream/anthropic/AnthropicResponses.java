package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Turns a non-streaming Anthropic Messages response into a complete OpenAI {@code chat.completion}, with id, model and
 * {@code created} filled so a pass-through client sees a well-formed answer. Text blocks make the content; thinking
 * blocks go to {@code message.reasoning_content}, never into the content; server-tool blocks are dropped.
 */
public final class AnthropicResponses {

  private AnthropicResponses() {
  }

  /**
   * @param message        the Anthropic response body
   * @param createdSeconds the {@code created} timestamp to report (Anthropic sends none)
   */
  public static JsonObject toOpenAi(JsonObject message, long createdSeconds) {
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    if (message.getValue("content") instanceof JsonArray blocks) {
      for (Object b : blocks) {
        if (!(b instanceof JsonObject block)) {
          continue;
        }
        Object type = block.getValue("type");
        if ("text".equals(type) && block.getValue("text") instanceof String t) {
          text.append(t);
        } else if ("thinking".equals(type) && block.getValue("thinking") instanceof String t) {
          thinking.append(t);
        } else if ("tool_use".equals(type)) {
          toolCalls.add(toolCall(block));
        }
      }
    }
    JsonObject msg = new JsonObject().put("role", "assistant").put("content", text.isEmpty() ? null : text.toString());
    if (!thinking.isEmpty()) {
      msg.put(AnthropicStream.REASONING, thinking.toString());
    }
    if (!toolCalls.isEmpty()) {
      msg.put("tool_calls", toolCalls);
    }
    JsonObject out = new JsonObject()
        .put("id", id(message.getValue("id")))
        .put("object", "chat.completion")
        .put("created", createdSeconds)
        .put("model", message.getValue("model") instanceof String m ? m : "")
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", msg)
            .put("finish_reason", StopReasons.toFinishReason(message.getValue("stop_reason")))));
    JsonObject usage = AnthropicUsage.of(message.getValue("usage"));
    if (usage != null) {
      out.put("usage", usage);
    }
    return out;
  }

  static JsonObject toolCall(JsonObject block) {
    Object input = block.getValue("input");
    String arguments = input instanceof JsonObject o ? o.encode() : "{}";
    return new JsonObject()
        .put("id", block.getValue("id") instanceof String s ? s : "")
        .put("type", "function")
        .put("function", new JsonObject()
            .put("name", block.getValue("name") instanceof String n ? n : "")
            .put("arguments", arguments));
  }

  /** Anthropic's message id is kept (it helps when tracing a call with the provider); one is made up if missing. */
  static String id(Object id) {
    return id instanceof String s && !s.isBlank() ? s : "chatcmpl-" + UUID.randomUUID();
  }
}
