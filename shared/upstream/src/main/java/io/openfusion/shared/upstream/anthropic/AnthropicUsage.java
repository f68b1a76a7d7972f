package io.openfusion.shared.upstream.anthropic;

import io.openfusion.shared.chat.Usages;
import io.vertx.core.json.JsonObject;

/**
 * Accumulates Anthropic token counts into an OpenAI {@code usage} object. A stream reports input tokens in
 * {@code message_start} and output tokens in {@code message_delta}; both are kept, where the original let the later
 * one overwrite the earlier and lost the prompt tokens.
 * <p>Anthropic's {@code input_tokens} excludes prompt-cache reads and writes, while OpenAI's {@code prompt_tokens}
 * counts every prompt token, so the cache counts are added to it (and reads reported as
 * {@code prompt_tokens_details.cached_tokens}).
 */
final class AnthropicUsage {

  private long input = -1;
  private long cacheCreation = -1;
  private long cacheRead = -1;
  private long output = -1;

  /** Takes the counts present in {@code usage}; Anthropic's counts are cumulative, so a later value replaces. */
  void update(Object usage) {
    if (!(usage instanceof JsonObject u)) {
      return;
    }
    input = pick(u, "input_tokens", input);
    cacheCreation = pick(u, "cache_creation_input_tokens", cacheCreation);
    cacheRead = pick(u, "cache_read_input_tokens", cacheRead);
    output = pick(u, "output_tokens", output);
  }

  boolean known() {
    return input >= 0 || output >= 0;
  }

  /** @return the OpenAI usage object, or {@code null} when Anthropic reported no counts */
  JsonObject toOpenAi() {
    if (!known()) {
      return null;
    }
    long prompt = Math.max(0, input) + Math.max(0, cacheCreation) + Math.max(0, cacheRead);
    long completion = Math.max(0, output);
    JsonObject usage = new JsonObject()
        .put(Usages.PROMPT, number(prompt))
        .put(Usages.COMPLETION, number(completion))
        .put(Usages.TOTAL, number(prompt + completion));
    if (cacheRead >= 0) {
      usage.put("prompt_tokens_details", new JsonObject().put("cached_tokens", number(cacheRead)));
    }
    return usage;
  }

  static JsonObject of(Object usage) {
    AnthropicUsage u = new AnthropicUsage();
    u.update(usage);
    return u.toOpenAi();
  }

  private static long pick(JsonObject u, String key, long previous) {
    // Booleans and floats are not token counts; null means "not reported in this event".
    Object v = u.getValue(key);
    if (v instanceof Integer || v instanceof Long) {
      return Math.max(0, ((Number) v).longValue());
    }
    return previous;
  }

  private static Number number(long v) {
    return v == (int) v ? (Number) (int) v : (Number) v;
  }
}
