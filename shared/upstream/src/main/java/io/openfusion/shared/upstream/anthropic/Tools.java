package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Maps OpenAI {@code tools} and {@code tool_choice}. Only {@code type: function} tools have an Anthropic form;
 * OpenRouter server tools ({@code openrouter:web_search}, {@code openrouter:web_fetch}) are dropped, because the
 * original sent them as nameless tools and Anthropic rejected the whole call.
 */
final class Tools {

  private static final JsonObject EMPTY_SCHEMA = new JsonObject().put("type", "object");

  private Tools() {
  }

  /** @return the Anthropic tool definitions, possibly empty */
  static JsonArray tools(Object tools) {
    JsonArray out = new JsonArray();
    if (!(tools instanceof JsonArray list)) {
      return out;
    }
    for (Object t : list) {
      if (t instanceof JsonObject tool && "function".equals(tool.getValue("type"))
          && tool.getValue("function") instanceof JsonObject fn
          && fn.getValue("name") instanceof String name && !name.isBlank()) {
        JsonObject def = new JsonObject().put("name", name);
        if (fn.getValue("description") instanceof String d && !d.isEmpty()) {
          def.put("description", d);
        }
        def.put("input_schema", fn.getValue("parameters") instanceof JsonObject schema ? schema.copy()
            : EMPTY_SCHEMA.copy());
        out.add(def);
      }
    }
    return out;
  }

  /**
   * @param parallel {@code false} when the client sent {@code parallel_tool_calls: false}
   * @return the Anthropic tool choice, or {@code null} to leave Anthropic's default (auto)
   */
  static JsonObject choice(Object choice, boolean parallel) {
    JsonObject out = null;
    if (choice instanceof String s) {
      out = switch (s) {
        case "none" -> new JsonObject().put("type", "none");
        case "auto" -> new JsonObject().put("type", "auto");
        case "required" -> new JsonObject().put("type", "any");
        default -> null;
      };
    } else if (choice instanceof JsonObject o && o.getValue("function") instanceof JsonObject fn
        && fn.getValue("name") instanceof String name) {
      out = new JsonObject().put("type", "tool").put("name", name);
    }
    if (!parallel && (out == null || !"none".equals(out.getString("type")))) {
      out = out == null ? new JsonObject().put("type", "auto") : out;
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }
}
