package io.openfusion.shared.chat;

import io.vertx.core.json.JsonObject;

/**
 * Token usage as the providers count it. A normalised usage object has integer {@code prompt_tokens},
 * {@code completion_tokens} and {@code total_tokens}, when known a numeric {@code cost}, and when reported
 * {@code prompt_tokens_details.cached_tokens} and {@code completion_tokens_details.reasoning_tokens}.
 *
 * <p>The provider's {@code total_tokens} is the billed figure and is kept when it is larger than prompt + completion:
 * reasoning models report hidden reasoning tokens in the total alone (completion 1, total 303), and a recomputed
 * total would undercount what budgets, the token ledger and the usage report charge.
 */
public final class Usages {

  public static final String PROMPT = "prompt_tokens";
  public static final String COMPLETION = "completion_tokens";
  public static final String TOTAL = "total_tokens";
  public static final String COST = "cost";
  public static final String PROMPT_DETAILS = "prompt_tokens_details";
  public static final String COMPLETION_DETAILS = "completion_tokens_details";
  public static final String CACHED = "cached_tokens";
  public static final String REASONING = "reasoning_tokens";

  private Usages() {
  }

  /**
   * Keeps only the integer token counts (booleans, floats and strings are dropped), a numeric {@code cost} and the two
   * detail counts. {@code total_tokens} becomes the larger of the reported total and prompt + completion.
   *
   * @return a new object, or {@code null} when {@code usage} is {@code null} or has none of these fields
   */
  public static JsonObject fromJson(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    Counts counts = Counts.of(usage);
    return counts.isEmpty() ? null : counts.toJson();
  }

  /**
   * Field-wise sum of two usage objects (either may be {@code null}; both {@code null} gives {@code null}). Each side's
   * total is its provider's total (or prompt + completion when larger), so the sum keeps what every provider counted.
   * {@code cost} and the detail counts are present only if either side has them.
   */
  public static JsonObject add(JsonObject a, JsonObject b) {
    Counts x = a == null ? Counts.NONE : Counts.of(a);
    Counts y = b == null ? Counts.NONE : Counts.of(b);
    if (x.isEmpty() && y.isEmpty()) {
      return null;
    }
    return x.plus(y).toJson();
  }

  /** @return the billed total of a usage object: its {@code total_tokens}, or prompt + completion when larger */
  public static long total(JsonObject usage) {
    return usage == null ? 0 : Math.max(0, Counts.of(usage).total);
  }

  /** The counts of one usage object; -1 means "not reported". */
  private record Counts(long prompt, long completion, long total, double cost, long cached, long reasoning) {

    static final Counts NONE = new Counts(-1, -1, -1, -1, -1, -1);

    static Counts of(JsonObject usage) {
      long prompt = integer(usage, PROMPT);
      long completion = integer(usage, COMPLETION);
      long reported = integer(usage, TOTAL);
      long split = prompt < 0 && completion < 0 ? -1 : Math.max(0, prompt) + Math.max(0, completion);
      double cost = usage.getValue(COST) instanceof Number n ? n.doubleValue() : -1;
      return new Counts(prompt, completion, Math.max(reported, split), cost,
          detail(usage, PROMPT_DETAILS, CACHED), detail(usage, COMPLETION_DETAILS, REASONING));
    }

    boolean isEmpty() {
      return prompt < 0 && completion < 0 && total < 0 && cost < 0 && cached < 0 && reasoning < 0;
    }

    Counts plus(Counts o) {
      return new Counts(sum(prompt, o.prompt), sum(completion, o.completion), sum(total, o.total),
          cost < 0 && o.cost < 0 ? -1 : Math.max(0, cost) + Math.max(0, o.cost),
          sum(cached, o.cached), sum(reasoning, o.reasoning));
    }

    JsonObject toJson() {
      JsonObject out = new JsonObject();
      if (prompt >= 0 || completion >= 0 || total >= 0) {
        out.put(PROMPT, number(Math.max(0, prompt)))
            .put(COMPLETION, number(Math.max(0, completion)))
            .put(TOTAL, number(Math.max(0, total)));
      }
      if (cost >= 0) {
        out.put(COST, cost);
      }
      if (cached >= 0) {
        out.put(PROMPT_DETAILS, new JsonObject().put(CACHED, number(cached)));
      }
      if (reasoning >= 0) {
        out.put(COMPLETION_DETAILS, new JsonObject().put(REASONING, number(reasoning)));
      }
      return out;
    }

    private static long sum(long a, long b) {
      return a < 0 && b < 0 ? -1 : Math.max(0, a) + Math.max(0, b);
    }
  }

  private static long detail(JsonObject usage, String group, String key) {
    return usage.getValue(group) instanceof JsonObject details ? integer(details, key) : -1;
  }

  /** @return the non-negative integer at {@code key}, or -1 when absent or not an integer */
  private static long integer(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Math.max(0, ((Number) v).longValue());
    }
    return -1;
  }

  private static Number number(long v) {
    return v == (int) v ? (Number) (int) v : (Number) v;
  }
}
