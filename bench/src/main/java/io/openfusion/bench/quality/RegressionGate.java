package io.openfusion.bench.quality;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --fail-on-regression BASELINE.json}: compares this run's metrics (accuracy per mode, rubric score per mode,
 * pairwise win rate per pair) with those of an earlier result file of the same tasks.
 *
 * <p><b>The rule:</b> a metric has regressed when the 95 % interval of the DIFFERENCE (this run minus the baseline)
 * lies entirely below zero. For proportions (accuracy, win rate) that interval is Newcombe's hybrid score interval,
 * built from the two Wilson intervals; for rubric scores it is Welch's t interval over the per-task scores. Either way
 * a regression is a drop that two runs of an unchanged system produce less than 2.5 % of the time.
 *
 * <p>Why not the simpler rules: "this run's value below the baseline's lower bound" ignores that this run is noisy
 * too, and an unchanged system trips it about 8 % of the time (two equal runs differ by more than 1.96 / sqrt(2)
 * standard errors that often), so a CI job would fail spuriously every dozen runs. "The two 95 % intervals do not
 * overlap" errs the other way: it needs a drop of about 2.8 standard errors of the difference before it can trip, so
 * it misses real regressions half the time at that size. The difference interval is the test those two approximate.
 *
 * <p>The runs are treated as independent samples. When both ran the same tasks, their results are positively
 * correlated, so the true noise of the difference is smaller and the gate is conservative: it can miss a small
 * regression but does not fire on noise. Only runs over the same tasks are compared (the {@code task_set}
 * fingerprint of the completed task ids must match).
 */
public final class RegressionGate {

  /** One gated number with what its interval needs. {@code kind} is {@code proportion} or {@code mean}. */
  public record Metric(String key, String kind, int n, double value, int successes, double sd, double low, double high) {

    public static Metric proportion(String key, int successes, int n) {
      Wilson w = Wilson.of(successes, n);
      return new Metric(key, "proportion", n, n == 0 ? Double.NaN : (double) successes / n, successes, 0, w.low(), w.high());
    }

    public static Metric mean(String key, MeanInterval m) {
      return new Metric(key, "mean", m.n(), m.mean(), 0, m.sd(), m.low(), m.high());
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject().put("key", key).put("kind", kind).put("n", n).put("value", value)
        .put("low", low).put("high", high);
      return "proportion".equals(kind) ? o.put("successes", successes) : o.put("sd", sd);
    }

    static Metric fromJson(JsonObject o) {
      String kind = o.getString("kind");
      if (!"proportion".equals(kind) && !"mean".equals(kind)) {
        throw new IllegalArgumentException("metric " + o.getString("key") + " has unknown kind " + kind);
      }
      return new Metric(o.getString("key"), kind, o.getInteger("n"), o.getDouble("value"), o.getInteger("successes", 0),
        o.getDouble("sd", 0d), o.getDouble("low"), o.getDouble("high"));
    }
  }

  /** How a metric compares with its baseline. */
  public enum Outcome { REGRESSION, IMPROVEMENT, WITHIN_NOISE, NOT_IN_RUN, NEW }

  public record Check(String key, Metric baseline, Metric current, double diffLow, double diffHigh, Outcome outcome) {
  }

  /**
   * @param error why no comparison was possible (other tasks, an unreadable baseline), or null
   */
  public record Result(String error, List<Check> checks) {

    public boolean regressed() {
      return checks.stream().anyMatch(c -> c.outcome() == Outcome.REGRESSION);
    }

    public List<String> regressions() {
      return checks.stream().filter(c -> c.outcome() == Outcome.REGRESSION)
        .map(c -> String.format("%s %.1f%% -> %.1f%% (difference %+.1f to %+.1f points)", c.key(), 100 * c.baseline().value(),
          100 * c.current().value(), 100 * c.diffLow(), 100 * c.diffHigh()))
        .toList();
    }

    public String markdown() {
      StringBuilder md = new StringBuilder("### Regression gate\n\n");
      if (error != null) {
        return md.append("Not compared: ").append(error).append('\n').toString();
      }
      md.append("A metric regressed when the 95% interval of (this run - baseline) is entirely below 0.\n\n");
      md.append("| metric | baseline | this run | difference, 95% | verdict |\n|---|---:|---:|---:|---|\n");
      for (Check c : checks) {
        md.append(String.format("| %s | %s | %s | %s | %s |%n", c.key(), cell(c.baseline()), cell(c.current()),
          c.baseline() == null || c.current() == null ? "-" : String.format("%+.1f to %+.1f points", 100 * c.diffLow(),
            100 * c.diffHigh()), c.outcome().name().toLowerCase().replace('_', ' ')));
      }
      md.append(regressed() ? "\n**REGRESSION**: " + String.join("; ", regressions()) + "\n" : "\nNo regression.\n");
      return md.toString();
    }

    private static String cell(Metric m) {
      return m == null ? "-" : String.format("%.1f%% (%.1f-%.1f, n=%d)", 100 * m.value(), 100 * m.low(), 100 * m.high(), m.n());
    }

    JsonObject toJson() {
      JsonArray rows = new JsonArray();
      for (Check c : checks) {
        rows.add(new JsonObject().put("key", c.key()).put("outcome", c.outcome().name().toLowerCase())
          .put("baseline", c.baseline() == null ? null : c.baseline().value())
          .put("current", c.current() == null ? null : c.current().value())
          .put("difference_low", c.baseline() == null || c.current() == null ? null : c.diffLow())
          .put("difference_high", c.baseline() == null || c.current() == null ? null : c.diffHigh()));
      }
      return new JsonObject().put("error", error).put("regressed", regressed()).put("checks", rows);
    }
  }

  private RegressionGate() {
  }

  /**
   * Reads a result file written by an earlier run.
   *
   * @throws IllegalArgumentException when it is not such a file
   */
  public static JsonObject readBaseline(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--fail-on-regression: no baseline file " + file);
    }
    JsonObject o;
    try {
      o = new JsonObject(Files.readString(file));
    } catch (DecodeException e) {
      throw new IllegalArgumentException("--fail-on-regression: " + file + " is not JSON: " + e.getMessage());
    }
    if (!(o.getValue("metrics") instanceof JsonArray) || o.getString("task_set") == null) {
      throw new IllegalArgumentException("--fail-on-regression: " + file + " is not a quality result file (no metrics or "
        + "task_set); use the .json a quality run wrote");
    }
    return o;
  }

  /** Compares {@code current} (a run's JSON) with {@code baseline} (an earlier run's JSON). */
  public static Result compare(JsonObject baseline, JsonObject current) {
    String bSet = baseline.getString("task_set");
    String cSet = current.getString("task_set");
    if (bSet == null || !bSet.equals(cSet)) {
      return new Result(String.format("the baseline ran other tasks (%s, %d complete) than this run (%s, %d complete); "
        + "run the same task file, limit and cap", baseline.getString("tasks"), baseline.getInteger("tasks_complete", -1),
        current.getString("tasks"), current.getInteger("tasks_complete", -1)), List.of());
    }
    Map<String, Metric> base = read(baseline);
    Map<String, Metric> now = read(current);
    List<Check> checks = new ArrayList<>();
    for (Map.Entry<String, Metric> e : base.entrySet()) {
      Metric b = e.getValue();
      Metric c = now.get(e.getKey());
      if (c == null) {
        checks.add(new Check(e.getKey(), b, null, Double.NaN, Double.NaN, Outcome.NOT_IN_RUN));
        continue;
      }
      if (!b.kind().equals(c.kind())) {
        return new Result("metric " + e.getKey() + " is a " + b.kind() + " in the baseline and a " + c.kind() + " here",
          List.of());
      }
      double[] d = difference(c, b);
      Outcome o = d[1] < 0 ? Outcome.REGRESSION : d[0] > 0 ? Outcome.IMPROVEMENT : Outcome.WITHIN_NOISE;
      checks.add(new Check(e.getKey(), b, c, d[0], d[1], o));
    }
    for (Map.Entry<String, Metric> e : now.entrySet()) {
      if (!base.containsKey(e.getKey())) {
        checks.add(new Check(e.getKey(), null, e.getValue(), Double.NaN, Double.NaN, Outcome.NEW));
      }
    }
    return new Result(null, checks);
  }

  /** The 95 % interval of {@code current - baseline}. */
  public static double[] difference(Metric current, Metric baseline) {
    if ("proportion".equals(current.kind())) {
      return Wilson.difference(current.successes(), current.n(), baseline.successes(), baseline.n());
    }
    return MeanInterval.welchDifference(current.n(), current.value(), current.sd(), baseline.n(), baseline.value(),
      baseline.sd());
  }

  private static Map<String, Metric> read(JsonObject run) {
    Map<String, Metric> out = new LinkedHashMap<>();
    JsonArray metrics = run.getJsonArray("metrics", new JsonArray());
    for (Object m : metrics) {
      if (m instanceof JsonObject o) {
        Metric metric = Metric.fromJson(o);
        out.put(metric.key(), metric);
      }
    }
    return out;
  }
}
