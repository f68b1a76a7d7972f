package io.openfusion.router.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Adds a provider prompt-cache breakpoint ({@code cache_control: {"type": "ephemeral"}}) to a panel
 * request, so the shared prefix of N near-identical panel calls is billed once at the cached rate.
 *
 * <p>The breakpoint goes on the last system message (the longest stable prefix), else on the first
 * user message. The judge never gets marks: its prompt is unique per run, so caching it only costs
 * the cache-write premium.
 */
public final class PromptCacheMarks {

  private static final String SYSTEM = "system";
  private static final String USER = "user";

  private PromptCacheMarks() {
  }

  /**
   * @param body a chat request body; it is not modified
   * @return a deep copy of {@code body} with the mark applied, or an unmarked copy when there is
   *     no system or user message to mark
   */
  public static JsonObject apply(JsonObject body) {
    JsonObject copy = body.copy();
    if (!(copy.getValue("messages") instanceof JsonArray messages)) {
      return copy;
    }
    JsonObject target = target(messages);
    if (target != null) {
      mark(target);
    }
    return copy;
  }

  private static JsonObject target(JsonArray messages) {
    JsonObject lastSystem = null;
    JsonObject firstUser = null;
    for (Object item : messages) {
      if (item instanceof JsonObject message) {
        Object role = message.getValue("role");
        if (SYSTEM.equals(role)) {
          lastSystem = message;
        } else if (USER.equals(role) && firstUser == null) {
          firstUser = message;
        }
      }
    }
    return lastSystem != null ? lastSystem : firstUser;
  }

  private static void mark(JsonObject message) {
    Object content = message.getValue("content");
    if (content instanceof String text) {
      // Anthropic rejects cache_control on an empty text block, so an empty prompt stays as it is.
      if (!text.isEmpty()) {
        message.put("content", new JsonArray().add(new JsonObject()
          .put("type", "text").put("text", text).put("cache_control", ephemeral())));
      }
    } else if (content instanceof JsonArray blocks) {
      for (int i = blocks.size() - 1; i >= 0; i--) {
        if (blocks.getValue(i) instanceof JsonObject block) {
          // A client-chosen breakpoint (or TTL) wins over ours.
          if (!block.containsKey("cache_control")) {
            block.put("cache_control", ephemeral());
          }
          return;
        }
      }
    }
  }

  private static JsonObject ephemeral() {
    return new JsonObject().put("type", "ephemeral");
  }
}
