package io.openfusion.api.messages;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic client tools ({@code name}, {@code description}, {@code input_schema}) as chat function tools, and
 * {@code tool_choice} in chat's words. Server tools (web search, code execution, bash, text editor, computer use...)
 * run on Anthropic's platform; nothing here could run them, so they are refused.
 */
final class Tools {

  private Tools() {
  }

  static JsonArray functions(Object tools) {
    if (!(tools instanceof JsonArray list)) {
      throw MessagesRequest.invalid("tools: must be an array");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      String at = "tools." + i;
      if (!(list.getValue(i) instanceof JsonObject tool)) {
        throw MessagesRequest.invalid(at + ": must be an object");
      }
      Object type = tool.getValue("type");
      if (type != null && !"custom".equals(type)) {
        throw ApiError.of(ErrorCode.UNSUPPORTED_PARAMETER, at + ": the server tool '" + type + "' cannot run behind "
          + "this server; only client tools (name, description, input_schema) are supported");
      }
      if (!(tool.getValue("name") instanceof String name) || name.isBlank()) {
        throw MessagesRequest.invalid(at + ".name: required");
      }
      if (!(tool.getValue("input_schema") instanceof JsonObject schema)) {
        throw MessagesRequest.invalid(at + ".input_schema: required, a JSON schema object");
      }
      JsonObject function = new JsonObject().put("name", name);
      if (tool.getValue("description") instanceof String description) {
        function.put("description", description);
      }
      function.put("parameters", schema);
      out.add(new JsonObject().put("type", "function").put("function", function));
    }
    return out;
  }

  /** Sets chat's {@code tool_choice} (and {@code parallel_tool_calls}) on {@code chat}. */
  static void choice(Object choice, JsonObject chat) {
    if (!(choice instanceof JsonObject c)) {
      throw MessagesRequest.invalid("tool_choice: must be an object like {\"type\": \"auto\"}");
    }
    switch (String.valueOf(c.getValue("type"))) {
      case "auto" -> chat.put("tool_choice", "auto");
      case "any" -> chat.put("tool_choice", "required");
      case "none" -> chat.put("tool_choice", "none");
      case "tool" -> {
        if (!(c.getValue("name") instanceof String name) || name.isBlank()) {
          throw MessagesRequest.invalid("tool_choice.name: required for type tool");
        }
        chat.put("tool_choice", new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name)));
      }
      default -> throw MessagesRequest.invalid("tool_choice.type: must be auto, any, tool or none");
    }
    if (Boolean.TRUE.equals(c.getValue("disable_parallel_tool_use"))) {
      chat.put("parallel_tool_calls", false);
    }
  }
}
