package io.openfusion.api.responses;

import io.openfusion.shared.chat.Usages;
import io.vertx.core.json.JsonObject;

/** Chat usage in Responses' words: input/output tokens and the two detail objects, which are never absent there. */
final class ResponsesUsage {

  private ResponsesUsage() {
  }

  /** @return the Responses usage, or null when the chat answer reported none */
  static JsonObject of(JsonObject chat) {
    JsonObject usage = Usages.fromJson(chat);
    if (usage == null) {
      return null;
    }
    long input = count(usage, Usages.PROMPT);
    long output = count(usage, Usages.COMPLETION);
    return new JsonObject()
      .put("input_tokens", input)
      // chat upstreams report cache reads, never cache writes
      .put("input_tokens_details", new JsonObject().put("cached_tokens", detail(usage, Usages.PROMPT_DETAILS, Usages.CACHED))
        .put("cache_write_tokens", 0L))
      .put("output_tokens", output)
      .put("output_tokens_details", new JsonObject()
        .put("reasoning_tokens", detail(usage, Usages.COMPLETION_DETAILS, Usages.REASONING)))
      .put("total_tokens", Math.max(Usages.total(usage), input + output));
  }

  private static long count(JsonObject usage, String field) {
    return usage.getValue(field) instanceof Number n ? n.longValue() : 0;
  }

  private static long detail(JsonObject usage, String details, String field) {
    return usage.getValue(details) instanceof JsonObject d && d.getValue(field) instanceof Number n ? n.longValue() : 0;
  }
}
