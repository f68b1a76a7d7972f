package io.openfusion.router.fusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Majority vote over panel answers without a model call: answers are compared by their last number
 * (ignoring {@code $} and thousands separators), or else by their last non-empty line, and the earliest
 * member in panel order wins ties, so the result is deterministic.
 */
final class Vote {

  private static final Pattern NUMBER = Pattern.compile("-?\\$?\\d[\\d,]*(?:\\.\\d+)?");

  /** The winning answer's index in {@code answers}, and how much of the panel agreed with it. */
  record Result(int winner, String key, double agreement, Map<String, Integer> votes) {
  }

  private Vote() {
  }

  static Result pick(List<String> answers) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    String[] keys = new String[answers.size()];
    for (int i = 0; i < answers.size(); i++) {
      keys[i] = key(answers.get(i));
      votes.merge(keys[i], 1, Integer::sum);
    }
    int top = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int i = 0; i < keys.length; i++) {
      if (votes.get(keys[i]) == top) {
        return new Result(i, keys[i], answers.isEmpty() ? 0 : (double) top / answers.size(), votes);
      }
    }
    return new Result(-1, "", 0, votes);
  }

  static String key(String answer) {
    Matcher m = NUMBER.matcher(answer);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last != null) {
      return normalizeNumber(last.replace("$", "").replace(",", ""));
    }
    String[] lines = answer.strip().split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip().toLowerCase();
      }
    }
    return "";
  }

  /** "42.0" and "42" are the same answer. */
  private static String normalizeNumber(String number) {
    try {
      return new java.math.BigDecimal(number).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return number;
    }
  }
}
