package io.openfusion.api.chat;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Type checks for the standard chat parameters openfusion forwards. Ranges are left to the upstream
 * (they differ by provider), but a value of the wrong type is rejected here, with the field named,
 * instead of coming back as some provider's puzzling error or failing a whole panel.
 */
final class ParameterTypes {

  private static final Predicate<Object> NUMBER = v -> v instanceof Number;
  private static final Predicate<Object> INTEGER = v -> v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
    && !(v instanceof Double d && d.isInfinite());
  private static final Predicate<Object> OBJECT = v -> v instanceof JsonObject;
  private static final Predicate<Object> ARRAY = v -> v instanceof JsonArray;
  private static final Predicate<Object> STRING = v -> v instanceof String;
  private static final Predicate<Object> BOOLEAN = v -> v instanceof Boolean;
  private static final Predicate<Object> STOP = v -> v instanceof String
    || v instanceof JsonArray a && a.stream().allMatch(e -> e instanceof String);
  private static final Predicate<Object> TOOL_CHOICE = v -> v instanceof String || v instanceof JsonObject;

  private record Rule(Predicate<Object> accepts, String expected) {
  }

  private static final Map<String, Rule> RULES = Map.ofEntries(
    Map.entry("temperature", new Rule(NUMBER, "a number")),
    Map.entry("top_p", new Rule(NUMBER, "a number")),
    Map.entry("presence_penalty", new Rule(NUMBER, "a number")),
    Map.entry("frequency_penalty", new Rule(NUMBER, "a number")),
    Map.entry("n", new Rule(INTEGER.and(v -> ((Number) v).longValue() >= 1), "a positive integer")),
    Map.entry("seed", new Rule(INTEGER, "an integer")),
    Map.entry("stop", new Rule(STOP, "a string or an array of strings")),
    Map.entry("logit_bias", new Rule(OBJECT, "an object")),
    Map.entry("response_format", new Rule(OBJECT, "an object")),
    Map.entry("metadata", new Rule(OBJECT, "an object")),
    Map.entry("user", new Rule(STRING, "a string")),
    Map.entry("tools", new Rule(ARRAY, "an array")),
    Map.entry("tool_choice", new Rule(TOOL_CHOICE, "a string or an object")),
    Map.entry("parallel_tool_calls", new Rule(BOOLEAN, "true or false")),
    Map.entry("functions", new Rule(ARRAY, "an array")),
    Map.entry("models", new Rule(ARRAY, "an array of model ids")),
    Map.entry("plugins", new Rule(ARRAY, "an array")));

  private ParameterTypes() {
  }

  static void check(JsonObject body) {
    RULES.forEach((field, rule) -> {
      Object value = body.getValue(field);
      if (value != null && !rule.accepts().test(value)) {
        throw ApiError.of(ErrorCode.INVALID_PARAMETER, field + " must be " + rule.expected());
      }
    });
  }
}
