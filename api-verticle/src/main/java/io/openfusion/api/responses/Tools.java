package io.openfusion.api.responses;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Responses tools as chat tools. Function tools are flat in Responses ({@code {"type":"function","name",...}}) and
 * nested in chat ({@code {"type":"function","function":{"name",...}}}). Built-in tools ({@code web_search_preview},
 * {@code file_search}, {@code computer_use_preview}, ...) run on OpenAI's platform; nothing here could run them, so
 * they are refused rather than silently dropped.
 */
final class Tools {

  private Tools() {
  }

  static JsonArray functions(Object tools) {
    if (!(tools instanceof JsonArray list)) {
      throw invalid("tools must be an array");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      String at = "tools[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject tool)) {
        throw invalid(at + " must be an object");
      }
      Object type = tool.getValue("type");
      if (!"function".equals(type)) {
        throw ApiError.of(ErrorCode.UNSUPPORTED_PARAMETER, at + ": the built-in tool '" + type + "' cannot run behind "
          + "this server; only function tools are supported (run the tool in your code and send its result as a "
          + "function_call_output)");
      }
      if (!(tool.getValue("name") instanceof String name) || name.isBlank()) {
        throw invalid(at + ".name is required");
      }
      JsonObject function = new JsonObject().put("name", name);
      copy(tool, function, "description");
      copy(tool, function, "parameters");
      copy(tool, function, "strict");
      out.add(new JsonObject().put("type", "function").put("function", function));
    }
    return out;
  }

  /** {@code none}/{@code auto}/{@code required} as they are; {@code {"type":"function","name"}} nested for chat. */
  static Object choice(Object choice) {
    if (choice instanceof String mode) {
      if (!mode.equals("none") && !mode.equals("auto") && !mode.equals("required")) {
        throw invalid("tool_choice must be none, auto, required or {\"type\": \"function\", \"name\": ...}");
      }
      return mode;
    }
    if (choice instanceof JsonObject o && "function".equals(o.getValue("type")) && o.getValue("name") instanceof String name) {
      return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name));
    }
    if (choice instanceof JsonObject o) {
      throw ApiError.of(ErrorCode.UNSUPPORTED_PARAMETER, "tool_choice of type '" + o.getValue("type")
        + "' is not supported; use none, auto, required or {\"type\": \"function\", \"name\": ...}");
    }
    throw invalid("tool_choice must be a string or an object");
  }

  private static void copy(JsonObject from, JsonObject to, String field) {
    if (from.getValue(field) != null) {
      to.put(field, from.getValue(field));
    }
  }

  private static ApiError invalid(String message) {
    return ApiError.of(ErrorCode.INVALID_PARAMETER, message);
  }
}
