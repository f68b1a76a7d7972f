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
 * Loads a task set from a spec:
 * <ul>
 *   <li>{@code PATH}: the harness's JSONL, one object per line with {@code id}, {@code prompt}, {@code answer} and
 *       {@code scoring} (exact | contains | numeric | judge | rubric | none; {@code expected} and {@code match} are
 *       accepted as older names). A line with a {@code rubric} list is a rubric task (criteria as in
 *       {@link RubricTasks}); a line with neither answer nor rubric nor scoring is an open prompt, compared pairwise
 *       only;</li>
 *   <li>{@code gsm8k:PATH}: GSM8K's own JSONL ({@link Gsm8k});</li>
 *   <li>{@code rubric:PATH}: DRACO-style rubric tasks ({@link RubricTasks});</li>
 *   <li>{@code synthetic:N[:seed]}, {@code synthetic-rubric:N[:seed]}, {@code synthetic-open:N[:seed]}: generated sets
 *       for the offline check (arithmetic, rubric tasks, open prompts).</li>
 * </ul>
 * Blank lines and lines starting with {@code #} or {@code //} are skipped; anything else that is not a valid task stops
 * loading with the file and line number.
 */
public final class TaskLoader {

  /** Points each simulated open prompt has to cover; the simulator and the theory agree on it. */
  public static final int OPEN_POINTS = 8;

  private TaskLoader() {
  }

  /**
   * @param spec  one of the forms above; relative paths are taken as given
   * @param limit at most this many tasks, the first ones (0 = all)
   */
  public static List<Task> load(String spec, int limit) throws IOException {
    List<Task> tasks;
    if (spec.startsWith("synthetic:") || spec.startsWith("synthetic-rubric:") || spec.startsWith("synthetic-open:")) {
      String[] parts = spec.split(":");
      int n = Integer.parseInt(parts[1]);
      long seed = parts.length > 2 ? Long.parseLong(parts[2]) : 1;
      tasks = switch (parts[0]) {
        case "synthetic-rubric" -> syntheticRubric(n, seed);
        case "synthetic-open" -> syntheticOpen(n, seed);
        default -> synthetic(n, seed);
      };
    } else if (spec.startsWith("gsm8k:")) {
      tasks = read(spec.substring("gsm8k:".length()), Gsm8k::parse);
    } else if (spec.startsWith("rubric:")) {
      tasks = read(spec.substring("rubric:".length()), RubricTasks::parse);
    } else {
      tasks = read(spec, TaskLoader::parse);
    }
    return limit > 0 && tasks.size() > limit ? List.copyOf(tasks.subList(0, limit)) : tasks;
  }

  /** The path part of a spec ({@code null} for generated sets), so callers can resolve it against the repository. */
  public static String path(String spec) {
    if (spec.startsWith("synthetic")) {
      return null;
    }
    int colon = spec.indexOf(':');
    if (colon > 1 && (spec.startsWith("gsm8k:") || spec.startsWith("rubric:"))) {
      return spec.substring(colon + 1);
    }
    return spec;
  }

  /** The spec with its path replaced, keeping the format prefix. */
  public static String withPath(String spec, String path) {
    String p = path(spec);
    return p == null ? spec : spec.substring(0, spec.length() - p.length()) + path;
  }

  private static List<Task> read(String path, java.util.function.BiFunction<String, String, List<Task>> parser)
    throws IOException {
    return parser.apply(Files.readString(Path.of(path), StandardCharsets.UTF_8), path);
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
      Task task;
      try {
        task = task(o);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      if (!ids.add(task.id())) {
        throw new IllegalArgumentException(where + ": duplicate id " + task.id());
      }
      tasks.add(task);
    }
    return tasks;
  }

  private static Task task(JsonObject o) {
    Object id = o.getValue("id");
    String prompt = o.getString("prompt");
    if (id == null || prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("id and prompt are required");
    }
    String answer = o.containsKey("answer") ? String.valueOf(o.getValue("answer")) : o.containsKey("expected")
      ? String.valueOf(o.getValue("expected")) : null;
    String declared = o.getString("scoring", o.getString("match"));
    Scoring.Method method = Scoring.Method.parse(declared);
    if (o.getValue("rubric") != null && (declared == null || method == Scoring.Method.RUBRIC)) {
      return RubricTasks.task(o, 0);
    }
    if (method == Scoring.Method.RUBRIC) {
      throw new IllegalArgumentException("scoring rubric needs a rubric list");
    }
    if (declared == null && answer == null) {
      method = Scoring.Method.NONE;
    }
    if (answer == null && method.hasReference() && method != Scoring.Method.JUDGE) {
      throw new IllegalArgumentException("answer is required for " + method.wire() + " scoring");
    }
    Object domain = o.getValue("domain");
    return new Task(String.valueOf(id), prompt, method == Scoring.Method.NONE ? "" : answer, method, List.of(),
      domain == null ? null : domain.toString());
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

  /**
   * Rubric tasks for the offline check: six positive criteria (weights 1-5) and two penalties (weights -2 to -6) each,
   * in one of three domains.
   */
  public static List<Task> syntheticRubric(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> domains = List.of("Medicine", "Finance", "Technology");
    List<Task> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = "rub-" + (i + 1);
      List<RubricItem> items = new ArrayList<>();
      for (int k = 1; k <= 6; k++) {
        items.add(new RubricItem("Point " + k + " of " + id + " is covered", r.nextInt(1, 6), "coverage"));
      }
      for (int k = 1; k <= 2; k++) {
        items.add(new RubricItem("Mistake " + k + " of " + id + " is made", -r.nextInt(2, 7), "accuracy"));
      }
      tasks.add(new Task(id, "Task " + id + ": write a short research brief on topic " + (i + 1) + ".", "",
        Scoring.Method.RUBRIC, items, domains.get(i % domains.size())));
    }
    return tasks;
  }

  /** Open prompts for the offline check: no reference, each has {@value #OPEN_POINTS} points an answer may cover. */
  public static List<Task> syntheticOpen(int n, long seed) {
    List<Task> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = "open-" + (i + 1) + (seed == 1 ? "" : "-s" + seed);
      tasks.add(new Task(id, "Task " + id + ": compare two approaches to problem " + (i + 1) + ".", "",
        Scoring.Method.NONE, List.of(), null));
    }
    return tasks;
  }
}
