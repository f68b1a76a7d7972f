package io.openfusion.bench.quality;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * Rubric grading: one grader call per answer sees the question, the answer and every criterion numbered, and replies
 * {@code {"met": [true, false, ...]}}, one boolean per criterion in order. The task's score is
 * {@code clamp(sum of the weights of met criteria / sum of the positive weights, 0, 1)}: 1 means every positive
 * criterion met and no penalty incurred; penalties (negative weights) can pull a score down to 0 but not below, so one
 * dangerous mistake cannot outweigh the rest of the task set.
 */
public final class Rubric {

  /** Longer answers are cut before grading, so one runaway answer cannot blow the grader's context or the budget. */
  static final int MAX_ANSWER_CHARS = 16_000;
  static final int MAX_CRITERION_CHARS = 300;
  static final String CRITERIA_HEADER = "Criteria (";
  /** The grader's output cap: forty-odd booleans need a few hundred tokens, a reasoning grader more. */
  static final int GRADER_MAX_TOKENS = 2048;

  static final String SYSTEM = "You grade an answer against a rubric. For each numbered criterion decide whether the "
    + "answer meets it; a criterion that describes a mistake is met when the answer makes that mistake. Judge only what "
    + "the answer says, and do not reward length. Reply with JSON only: {\"met\": [true, false, ...]}, one boolean per "
    + "criterion, in order.";

  private Rubric() {
  }

  /** The weighted score in [0, 1]; {@code met[i]} says whether criterion i was met. */
  public static double score(List<RubricItem> items, boolean[] met) {
    if (met.length != items.size()) {
      throw new IllegalArgumentException("expected " + items.size() + " verdicts, got " + met.length);
    }
    double positive = 0;
    double earned = 0;
    for (int i = 0; i < items.size(); i++) {
      double w = items.get(i).weight();
      if (w > 0) {
        positive += w;
      }
      if (met[i]) {
        earned += w;
      }
    }
    if (positive <= 0) {
      throw new IllegalArgumentException("a rubric needs at least one criterion with a positive weight");
    }
    return Math.max(0, Math.min(1, earned / positive));
  }

  /** The grader's user message: question, answer (cut at {@value #MAX_ANSWER_CHARS} characters), numbered criteria. */
  public static String userPrompt(Task task, String answer) {
    String a = answer == null ? "" : answer;
    if (a.length() > MAX_ANSWER_CHARS) {
      a = a.substring(0, MAX_ANSWER_CHARS) + "\n...[truncated]";
    }
    StringBuilder sb = new StringBuilder("Question:\n").append(task.prompt()).append("\n\nAnswer:\n").append(a)
      .append("\n\n").append(CRITERIA_HEADER).append(task.rubric().size()).append("):\n");
    int n = 1;
    for (RubricItem item : task.rubric()) {
      String c = item.criterion().strip().replaceAll("\\s+", " ");
      if (c.length() > MAX_CRITERION_CHARS) {
        c = c.substring(0, MAX_CRITERION_CHARS) + "...";
      }
      sb.append(n++).append(". ").append(c).append('\n');
    }
    return sb.append("\nReply with {\"met\": [...]} holding exactly ").append(task.rubric().size()).append(" booleans.")
      .toString();
  }

  public static JsonArray messages(Task task, String answer) {
    return new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", SYSTEM))
      .add(new JsonObject().put("role", "user").put("content", userPrompt(task, answer)));
  }

  /**
   * Reads the grader's verdicts: the first JSON object in the reply (code fences and prose around it are tolerated)
   * with a {@code met} array, or failing that the first bare JSON array. Booleans, {@code "yes"/"no"},
   * {@code "true"/"false"}, {@code "met"/"not met"} and 1/0 are understood.
   *
   * @throws IllegalArgumentException when no verdict list is found, an entry is not understood, or the count is not
   *                                  {@code n}
   */
  public static boolean[] parseMet(String reply, int n) {
    if (reply == null || reply.isBlank()) {
      throw new IllegalArgumentException("empty grader reply");
    }
    JsonArray list = null;
    int open = reply.indexOf('{');
    int close = reply.lastIndexOf('}');
    if (open >= 0 && close > open) {
      try {
        JsonObject o = new JsonObject(reply.substring(open, close + 1));
        if (o.getValue("met") instanceof JsonArray a) {
          list = a;
        }
      } catch (DecodeException | ClassCastException e) {
        // fall through to the bare array
      }
    }
    if (list == null) {
      int s = reply.indexOf('[');
      int e = reply.lastIndexOf(']');
      if (s >= 0 && e > s) {
        try {
          list = new JsonArray(reply.substring(s, e + 1));
        } catch (DecodeException | ClassCastException ex) {
          list = null;
        }
      }
    }
    if (list == null) {
      throw new IllegalArgumentException("no {\"met\": [...]} in the grader reply");
    }
    if (list.size() != n) {
      throw new IllegalArgumentException("the grader returned " + list.size() + " verdicts for " + n + " criteria");
    }
    boolean[] met = new boolean[n];
    for (int i = 0; i < n; i++) {
      met[i] = verdict(list.getValue(i), i);
    }
    return met;
  }

  private static boolean verdict(Object v, int i) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number num) {
      return num.doubleValue() != 0;
    }
    if (v instanceof String s) {
      switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "met", "1" -> {
          return true;
        }
        case "false", "no", "not met", "unmet", "0" -> {
          return false;
        }
        default -> {
        }
      }
    }
    throw new IllegalArgumentException("verdict " + (i + 1) + " is not a boolean: " + v);
  }
}
