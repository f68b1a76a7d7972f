package io.openfusion.bench.quality;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Reads tasks from JSONL: one object per line with {@code id}, {@code prompt}, {@code answer} and {@code scoring}
 * ({@code exact} when absent). The original harness's names {@code expected} and {@code match} are accepted too, so
 * its task files load unchanged. Blank lines and lines starting with {@code #} or {@code //} are skipped; anything
 * else that is not a valid task stops loading with the line number.
 */
public final class TaskLoader {

  private TaskLoader() {
  }

  /**
   * @param spec a JSONL path, or {@code synthetic:N[:seed]} for N generated arithmetic tasks (numeric scoring)
   * @param limit at most this many tasks (0 = all)
   */
  public static List<Task> load(String spec, int limit) throws IOException {
    List<Task> tasks;
    if (spec.startsWith("synthetic:")) {
      String[] parts = spec.split(":");
      tasks = synthetic(Integer.parseInt(parts[1]), parts.length > 2 ? Long.parseLong(parts[2]) : 1);
    } else {
      tasks = parse(Files.readString(Path.of(spec), StandardCharsets.UTF_8), spec);
    }
    return limit > 0 && tasks.size() > limit ? List.copyOf(tasks.subList(0, limit)) : tasks;
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
      Object id = o.getValue("id");
      String prompt = o.getString("prompt");
      if (id == null || prompt == null || prompt.isBlank()) {
        throw new IllegalArgumentException(where + ": id and prompt are required");
      }
      String answer = o.containsKey("answer") ? String.valueOf(o.getValue("answer")) : o.containsKey("expected")
        ? String.valueOf(o.getValue("expected")) : null;
      Scoring.Method method;
      try {
        method = Scoring.Method.parse(o.getString("scoring", o.getString("match")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      if (answer == null && method != Scoring.Method.JUDGE) {
        throw new IllegalArgumentException(where + ": answer is required for " + method.wire() + " scoring");
      }
      if (!ids.add(String.valueOf(id))) {
        throw new IllegalArgumentException(where + ": duplicate id " + id);
      }
      tasks.add(new Task(String.valueOf(id), prompt, answer, method));
    }
    return tasks;
  }

  /** Two-number sums and products with unique prompts, for the offline check. */
  public static List<Task> synthetic(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Task> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = r.nextInt(10, 100);
      int b = r.nextInt(10, 100);
      boolean product = r.nextBoolean();
      String id = "syn-" + (i + 1);
      String prompt = "Task " + id + ": what is " + a + (product ? " * " : " + ") + b + "? Reply with just the number.";
      tasks.add(new Task(id, prompt, Integer.toString(product ? a * b : a + b), Scoring.Method.NUMERIC));
    }
    return tasks;
  }
}
