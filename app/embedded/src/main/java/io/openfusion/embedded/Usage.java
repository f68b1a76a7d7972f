package io.openfusion.embedded;

import io.vertx.core.json.JsonObject;

/**
 * Tokens (and money, when the provider says) one upstream call or one whole request used.
 *
 * @param promptTokens     tokens sent
 * @param completionTokens tokens generated
 * @param totalTokens      the provider's billed total (reasoning models count hidden reasoning here only)
 * @param costUsd          what the provider reported the call cost in US dollars (OpenRouter's {@code usage.cost}), or
 *                         null when it reported none
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, Double costUsd) {

  /** Nothing used (no upstream call, or a cached answer). */
  public static final Usage NONE = new Usage(0, 0, 0, null);

  /** Reads an OpenAI-style usage object; null or empty gives {@link #NONE}. */
  static Usage of(JsonObject usage) {
    if (usage == null) {
      return NONE;
    }
    Object cost = usage.getValue("cost");
    return new Usage(count(usage, "prompt_tokens"), count(usage, "completion_tokens"), count(usage, "total_tokens"),
      cost instanceof Number n ? n.doubleValue() : null);
  }

  private static long count(JsonObject usage, String key) {
    return usage.getValue(key) instanceof Number n ? n.longValue() : 0;
  }
}
