package io.openfusion.router.recipe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Decides whether a request must go to a single model because it uses client-side tools: a panel
 * cannot run a client's tool loop. OpenRouter's server-side web tools are fine to fuse.
 */
public final class ToolRule {

  private ToolRule() {
  }

  public static boolean requiresPassThrough(JsonObject body) {
    if (truthy(body.getValue("functions")) || truthy(body.getValue("function_call"))) {
      return true;
    }
    if (body.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
      for (Object tool : tools) {
        if (!(tool instanceof JsonObject t) || !isServerTool(t.getValue("type"))) {
          return true;
        }
      }
    } else if (truthy(body.getValue("tools"))) {
      return true;
    }
    if (body.getValue("messages") instanceof JsonArray messages) {
      for (Object item : messages) {
        if (item instanceof JsonObject message
          && ("tool".equals(message.getValue("role")) || truthy(message.getValue("tool_calls")))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isServerTool(Object type) {
    return "openrouter:web_search".equals(type) || "openrouter:web_fetch".equals(type);
  }

  private static boolean truthy(Object value) {
    if (value == null || Boolean.FALSE.equals(value)) {
      return false;
    }
    if (value instanceof JsonArray array) {
      return !array.isEmpty();
    }
    if (value instanceof JsonObject object) {
      return !object.isEmpty();
    }
    return !(value instanceof String s) || !s.isEmpty();
  }
}
