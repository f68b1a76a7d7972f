package io.openfusion.api.messages;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic content blocks as chat messages. A user turn's {@code tool_result} blocks become tool messages (they come
 * first in the turn, as Anthropic requires), its text and images one user message after them; an assistant turn's
 * text and {@code tool_use} blocks one assistant message with tool calls. Thinking blocks from earlier turns are
 * dropped: they are another model's private reasoning.
 */
final class Blocks {

  private Blocks() {
  }

  /** Appends the chat messages of one user turn. */
  static void user(Object content, String at, JsonArray messages) {
    if (content instanceof String text) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
      return;
    }
    JsonArray blocks = (JsonArray) content;
    JsonArray parts = new JsonArray();
    boolean images = false;
    for (int i = 0; i < blocks.size(); i++) {
      String b = at + ".content." + i;
      JsonObject block = block(blocks.getValue(i), b);
      Object type = block.getValue("type");
      switch (String.valueOf(type)) {
        case "text" -> parts.add(new JsonObject().put("type", "text").put("text", string(block, "text", b)));
        case "image" -> {
          parts.add(image(block, b));
          images = true;
        }
        case "tool_result" -> messages.add(toolResult(block, b));
        case "document" -> throw unsupported(b + ": document blocks are not supported; send the document's text");
        default -> throw unsupported(b + ": content blocks of type '" + type + "' are not supported in user turns; "
          + "use text, image and tool_result");
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    Object chatContent = !images && parts.size() == 1 ? parts.getJsonObject(0).getString("text") : parts;
    messages.add(new JsonObject().put("role", "user").put("content", chatContent));
  }

  static JsonObject assistant(Object content, String at) {
    if (content instanceof String text) {
      return new JsonObject().put("role", "assistant").put("content", text);
    }
    JsonArray blocks = (JsonArray) content;
    StringBuilder text = new StringBuilder();
    JsonArray calls = new JsonArray();
    for (int i = 0; i < blocks.size(); i++) {
      String b = at + ".content." + i;
      JsonObject block = block(blocks.getValue(i), b);
      Object type = block.getValue("type");
      switch (String.valueOf(type)) {
        case "text" -> text.append(string(block, "text", b));
        case "tool_use" -> calls.add(toolCall(block, b));
        case "thinking", "redacted_thinking" -> { }
        default -> throw unsupported(b + ": content blocks of type '" + type + "' are not supported in assistant turns; "
          + "use text and tool_use");
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant");
    if (calls.isEmpty()) {
      return message.put("content", text.toString());
    }
    return message.put("content", text.isEmpty() ? null : text.toString()).put("tool_calls", calls);
  }

  private static JsonObject toolCall(JsonObject block, String at) {
    String id = string(block, "id", at);
    String name = string(block, "name", at);
    Object input = block.getValue("input");
    if (input != null && !(input instanceof JsonObject)) {
      throw invalid(at + ".input: must be an object");
    }
    String arguments = input == null ? "{}" : ((JsonObject) input).encode();
    return new JsonObject().put("id", id).put("type", "function")
      .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  /** A tool message; chat has no error flag, so a failed tool's result says so in its text. */
  private static JsonObject toolResult(JsonObject block, String at) {
    String id = string(block, "tool_use_id", at);
    Object content = block.getValue("content");
    StringBuilder text = new StringBuilder();
    if (content instanceof String s) {
      text.append(s);
    } else if (content instanceof JsonArray parts) {
      for (int i = 0; i < parts.size(); i++) {
        String p = at + ".content." + i;
        JsonObject part = block(parts.getValue(i), p);
        if (!"text".equals(part.getValue("type"))) {
          throw unsupported(p + ": only text blocks can be a tool_result's content here (chat tool results carry no "
            + "images)");
        }
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(string(part, "text", p));
      }
    } else if (content != null) {
      throw invalid(at + ".content: must be a string or an array of text blocks");
    }
    String result = Boolean.TRUE.equals(block.getValue("is_error")) ? "Error: " + text : text.toString();
    return new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", result);
  }

  /** Base64 data becomes a data URL; a URL source stays a URL, which the model's provider fetches. */
  private static JsonObject image(JsonObject block, String at) {
    if (!(block.getValue("source") instanceof JsonObject source)) {
      throw invalid(at + ".source: required for an image block");
    }
    String url;
    switch (String.valueOf(source.getValue("type"))) {
      case "base64" -> url = "data:" + string(source, "media_type", at + ".source") + ";base64,"
        + string(source, "data", at + ".source");
      case "url" -> url = string(source, "url", at + ".source");
      default -> throw unsupported(at + ".source.type '" + source.getValue("type") + "' is not supported; use base64 "
        + "or url");
    }
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }

  private static JsonObject block(Object value, String at) {
    if (!(value instanceof JsonObject block)) {
      throw invalid(at + ": must be a content block object");
    }
    return block;
  }

  private static String string(JsonObject o, String field, String at) {
    if (!(o.getValue(field) instanceof String s)) {
      throw invalid(at + "." + field + ": required, a string");
    }
    return s;
  }

  private static ApiError invalid(String message) {
    return ApiError.of(ErrorCode.INVALID_MESSAGES, message);
  }

  private static ApiError unsupported(String message) {
    return ApiError.of(ErrorCode.UNSUPPORTED_PARAMETER, message);
  }
}
