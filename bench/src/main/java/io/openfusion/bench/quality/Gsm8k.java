package io.openfusion.bench.quality;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the GSM8K JSONL format: one object per line with {@code question} and {@code answer}, where the answer is the
 * worked solution ending in {@code #### <number>}. The number after the last {@code ####} (thousands separators and
 * {@code $} removed) is the reference, and a model's answer is right when its final number equals it (numeric scoring):
 * the prompt asks the model to end with "The answer is N" so the final number is its answer. Ids are {@code gsm8k-1},
 * {@code gsm8k-2}, ... by position among the file's questions, or the line's own {@code id} when it has one.
 */
public final class Gsm8k {

  static final String INSTRUCTION = "\n\nSolve the problem. Think step by step, then end with a final line of the "
    + "form \"The answer is N\", where N is just the number.";

  private Gsm8k() {
  }

  public static List<Task> parse(String jsonl, String source) {
    List<Task> tasks = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String[] lines = jsonl.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
        continue;
      }
      String where = source + ":" + (i + 1);
      JsonObject o;
      try {
        o = new JsonObject(line);
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage());
      }
      String question = o.getValue("question") instanceof String q ? q : null;
      String solution = o.getValue("answer") instanceof String a ? a : null;
      if (question == null || question.isBlank() || solution == null) {
        throw new IllegalArgumentException(where + ": GSM8K lines need question and answer (strings)");
      }
      String gold;
      try {
        gold = gold(solution);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      String id = o.getValue("id") != null ? String.valueOf(o.getValue("id")) : "gsm8k-" + (tasks.size() + 1);
      if (!ids.add(id)) {
        throw new IllegalArgumentException(where + ": duplicate id " + id);
      }
      tasks.add(new Task(id, question.strip() + INSTRUCTION, gold, Scoring.Method.NUMERIC));
    }
    return tasks;
  }

  /**
   * The reference number of a GSM8K solution: what follows its last {@code ####}.
   *
   * @throws IllegalArgumentException when there is no {@code ####} or no number after it
   */
  public static String gold(String solution) {
    int at = solution.lastIndexOf("####");
    if (at < 0) {
      throw new IllegalArgumentException("answer has no \"#### <number>\" line");
    }
    String tail = solution.substring(at + 4).strip().replace(",", "").replace("$", "");
    Double n = Scoring.lastNumber(tail);
    if (n == null || !tail.matches("-?\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException("no number after ####: \"" + tail + "\"");
    }
    return tail;
  }
}
