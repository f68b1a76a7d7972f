package io.openfusion.shared.upstream;

import io.vertx.core.json.JsonObject;

/**
 * Token usage helpers. A normalised usage object has integer {@code prompt_tokens}, {@code completion_tokens} and
 * {@code total_tokens} and, when known, a numeric {@code cost}.
 */
public final class Usages {

  public static final String PROMPT = "prompt_tokens";
  public static final String COMPLETION = "completion_tokens";
  public static final String TOTAL = "total_tokens";
  public static final String COST = "cost";

  private Usages() {
  }

  /**
   * Keeps only the integer token counts (booleans, floats and strings are dropped) and a numeric {@code cost}.
   *
   * @return a new object, or {@code null} when {@code usage} is {@code null} or has none of these fields
   */
  public static JsonObject fromJson(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    JsonObject out = new JsonObject();
    copyInt(usage, out, PROMPT);
    copyInt(usage, out, COMPLETION);
    copyInt(usage, out, TOTAL);
    Object cost = usage.getValue(COST);
    if (cost instanceof Number n) {
      out.put(COST, n.doubleValue());
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * Field-wise sum of two usage objects (either may be {@code null}; both {@code null} gives {@code null}). Both are
   * normalised first. {@code total_tokens} is recomputed as prompt + completion (when neither side has those, the
   * totals are summed instead). {@code cost} is present only if either side has one.
   */
  public static JsonObject add(JsonObject a, JsonObject b) {
    JsonObject x = fromJson(a);
    JsonObject y = fromJson(b);
    if (x == null && y == null) {
      return null;
    }
    long prompt = get(x, PROMPT) + get(y, PROMPT);
    long completion = get(x, COMPLETION) + get(y, COMPLETION);
    boolean split = has(x, PROMPT) || has(x, COMPLETION) || has(y, PROMPT) || has(y, COMPLETION);
    long total = split ? prompt + completion : get(x, TOTAL) + get(y, TOTAL);
    JsonObject out = new JsonObject()
        .put(PROMPT, number(prompt))
        .put(COMPLETION, number(completion))
        .put(TOTAL, number(total));
    if (has(x, COST) || has(y, COST)) {
      out.put(COST, cost(x) + cost(y));
    }
    return out;
  }

  private static void copyInt(JsonObject from, JsonObject to, String key) {
    Object v = from.getValue(key);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      to.put(key, ((Number) v).longValue() == ((Number) v).intValue() ? (Object) ((Number) v).intValue() : v);
    }
  }

  private static boolean has(JsonObject o, String key) {
    return o != null && o.containsKey(key);
  }

  private static long get(JsonObject o, String key) {
    return has(o, key) ? ((Number) o.getValue(key)).longValue() : 0L;
  }

  private static double cost(JsonObject o) {
    return has(o, COST) ? ((Number) o.getValue(COST)).doubleValue() : 0d;
  }

  private static Number number(long v) {
    return v == (int) v ? (Number) (int) v : (Number) v;
  }
}
