package io.openfusion.bench.quality;

import io.openfusion.bench.common.Percentiles;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quality run's results, over the tasks that completed in every mode: per mode accuracy (reference tasks) and
 * rubric score (rubric tasks) with their intervals, cost and latency; rubric scores against solo on the same tasks and
 * by domain; pairwise win rates; the spend; offline, the comparison with theory; with a baseline, the regression gate.
 * The JSON carries the per-task results and a {@code metrics} list that {@link RegressionGate} reads back as a
 * baseline.
 */
public final class Report {

  /**
   * The per-mode numbers of the table.
   *
   * @param tasks       tasks that completed in every mode
   * @param errors      of those, tasks this mode gave no answer to
   * @param graded      reference tasks that were graded (grader failures left out)
   * @param rubricTasks rubric tasks with a score
   * @param gradeErrors tasks whose grading failed
   * @param gradeCost   what grading this mode's answers cost (not in {@code cost})
   */
  public record Summary(String mode, String model, int members, int tasks, int errors, int graded, int correct,
                        double accuracy, Wilson interval, int rubricTasks, MeanInterval score, int gradeErrors,
                        double latencyP50, double latencyP90, long tokens, double cost, double costPerCorrect,
                        double tokensPerCorrect, double gradeCost) {
  }

  /** A mode's rubric scores against solo's on the same tasks. */
  public record Paired(String mode, MeanInterval difference, int wins, int ties, int losses) {
  }

  private final QualityBench.Options options;
  private final List<Task> tasks;
  private final List<QualityBench.ModeResult> modes;
  private final List<PairwiseResult> pairwise;
  private final boolean[] complete;
  private final JsonObject spend;
  private final String stopReason;
  private RegressionGate.Result gate;
  private final String when = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));

  Report(QualityBench.Options options, List<Task> tasks, List<QualityBench.ModeResult> modes, List<PairwiseResult> pairwise,
         boolean[] complete, JsonObject spend, String stopReason) {
    this.options = options;
    this.tasks = tasks;
    this.modes = modes;
    this.pairwise = pairwise;
    this.complete = complete;
    this.spend = spend;
    this.stopReason = stopReason;
  }

  void gate(RegressionGate.Result result) {
    this.gate = result;
  }

  public RegressionGate.Result gate() {
    return gate;
  }

  /** True when the spending cap stopped the run before every task ran. */
  public boolean stopped() {
    return stopReason != null;
  }

  public int completeTasks() {
    int n = 0;
    for (boolean c : complete) {
      n += c ? 1 : 0;
    }
    return n;
  }

  public double spentUsd() {
    return spend.getDouble("spent_usd", 0d);
  }

  public JsonObject spend() {
    return spend;
  }

  public String stopSummary() {
    return String.format("stopped before the spending cap: spent $%.6f of $%.4f over %d requests; %d of %d tasks complete "
      + "in every mode (%s)", spentUsd(), spend.getDouble("max_usd", Double.NaN), spend.getInteger("requests", 0),
      completeTasks(), tasks.size(), stopReason);
  }

  private List<QualityBench.TaskResult> completed(QualityBench.ModeResult m) {
    List<QualityBench.TaskResult> out = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (complete[i] && m.results()[i] != null) {
        out.add(m.results()[i]);
      }
    }
    return out;
  }

  private List<Task> completedTasks() {
    List<Task> out = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (complete[i]) {
        out.add(tasks.get(i));
      }
    }
    return out;
  }

  public Map<String, Summary> summaries() {
    Map<String, Summary> out = new LinkedHashMap<>();
    for (QualityBench.ModeResult m : modes) {
      int graded = 0;
      int correct = 0;
      int errors = 0;
      int gradeErrors = 0;
      List<Double> scores = new ArrayList<>();
      List<Double> latencies = new ArrayList<>();
      long tokens = 0;
      double cost = 0;
      double gradeCost = 0;
      int n = 0;
      for (int i = 0; i < tasks.size(); i++) {
        QualityBench.TaskResult r = m.results()[i];
        if (!complete[i] || r == null) {
          continue;
        }
        n++;
        Task t = tasks.get(i);
        tokens += r.totalTokens();
        cost += r.cost();
        gradeCost += r.gradeCost();
        if (r.error() != null) {
          errors++;
        } else {
          latencies.add(r.latencySeconds());
        }
        if (r.gradeError() != null) {
          gradeErrors++;
          continue;
        }
        if (t.hasReference()) {
          graded++;
          correct += r.correct() ? 1 : 0;
        } else if (t.isRubric() && r.score() != null) {
          scores.add(r.score());
        }
      }
      Percentiles lat = Percentiles.ofDoubles(latencies);
      out.put(m.recipe().mode(), new Summary(m.recipe().mode(), m.recipe().requestModel(), m.members(), n, errors, graded,
        correct, graded == 0 ? Double.NaN : (double) correct / graded, Wilson.of(correct, graded), scores.size(),
        MeanInterval.ofScores(scores.stream().mapToDouble(Double::doubleValue).toArray()), gradeErrors,
        latencies.isEmpty() ? Double.NaN : lat.at(0.5) / 1e6, latencies.isEmpty() ? Double.NaN : lat.at(0.9) / 1e6, tokens,
        cost, correct == 0 ? Double.NaN : cost / correct, correct == 0 ? Double.NaN : (double) tokens / correct, gradeCost));
    }
    return out;
  }

  public List<PairwiseResult> pairwise() {
    return pairwise;
  }

  /** Each non-solo mode's rubric score minus solo's, task by task (tasks both scored). Empty without a solo mode. */
  public List<Paired> pairedWithSolo() {
    List<Paired> out = new ArrayList<>();
    QualityBench.ModeResult solo = modes.stream().filter(m -> m.recipe().solo()).findFirst().orElse(null);
    if (solo == null) {
      return out;
    }
    for (QualityBench.ModeResult m : modes) {
      if (m == solo) {
        continue;
      }
      List<Double> diffs = new ArrayList<>();
      int wins = 0;
      int ties = 0;
      int losses = 0;
      for (int i = 0; i < tasks.size(); i++) {
        QualityBench.TaskResult a = m.results()[i];
        QualityBench.TaskResult b = solo.results()[i];
        if (!complete[i] || a == null || b == null || a.score() == null || b.score() == null) {
          continue;
        }
        double d = a.score() - b.score();
        diffs.add(d);
        if (Math.abs(d) < 1e-9) {
          ties++;
        } else if (d > 0) {
          wins++;
        } else {
          losses++;
        }
      }
      if (!diffs.isEmpty()) {
        out.add(new Paired(m.recipe().mode(), MeanInterval.ofDifferences(diffs.stream().mapToDouble(Double::doubleValue)
          .toArray()), wins, ties, losses));
      }
    }
    return out;
  }

  /** Mean rubric score per domain and mode: domain -> mode -> [mean, n]. */
  public Map<String, Map<String, double[]>> byDomain() {
    Map<String, Map<String, double[]>> out = new TreeMap<>();
    for (QualityBench.ModeResult m : modes) {
      for (int i = 0; i < tasks.size(); i++) {
        Task t = tasks.get(i);
        QualityBench.TaskResult r = m.results()[i];
        if (!complete[i] || r == null || r.score() == null || t.domain() == null) {
          continue;
        }
        double[] acc = out.computeIfAbsent(t.domain(), d -> new LinkedHashMap<>())
          .computeIfAbsent(m.recipe().mode(), x -> new double[2]);
        acc[0] += r.score();
        acc[1]++;
      }
    }
    out.values().forEach(byMode -> byMode.values().forEach(a -> a[0] = a[0] / a[1]));
    return out;
  }

  /** The numbers the regression gate compares: accuracy, rubric score and win rate, each with what its interval needs. */
  public List<RegressionGate.Metric> metrics() {
    List<RegressionGate.Metric> out = new ArrayList<>();
    for (Summary s : summaries().values()) {
      if (s.graded() > 0) {
        out.add(RegressionGate.Metric.proportion("accuracy/" + s.mode(), s.correct(), s.graded()));
      }
      if (s.rubricTasks() > 0) {
        out.add(RegressionGate.Metric.mean("score/" + s.mode(), s.score()));
      }
    }
    for (PairwiseResult p : pairwise) {
      if (p.decided() > 0) {
        out.add(RegressionGate.Metric.proportion("win_rate/" + p.first() + "/" + p.second(), p.firstWins(), p.decided()));
      }
    }
    return out;
  }

  /** Identifies the tasks the metrics are over, so a baseline of other tasks is never compared with this run. */
  public String taskSet() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Task t : completedTasks()) {
        sha.update(t.id().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean defaultAccuracy(OpenFusionConfig config) {
    if (config == null) {
      return false;
    }
    List<String> models = new ArrayList<>();
    config.panel().forEach(u -> models.add(u.model()));
    UpstreamConfig pt = config.passThroughResolved();
    if (pt != null) {
      models.add(pt.model());
    }
    return models.stream().noneMatch(m -> m.contains("@"));
  }

  /** Offline only: the accuracy each mode should reach on reference tasks, given the simulated members' accuracy. */
  public Map<String, Double> theory() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!options.offline() || completedTasks().stream().noneMatch(Task::hasReference)) {
      return out;
    }
    for (QualityBench.ModeResult m : modes) {
      if (defaultAccuracy(m.recipe().config())) {
        out.put(m.recipe().mode(), m.recipe().solo() ? options.p() : Theory.vote(m.members(), options.p(), options.wrong()));
      }
    }
    return out;
  }

  /**
   * Offline only: the rubric score of solo and of the modes whose judge synthesizes (the simulated judge keeps every
   * point any member made and a penalty only when most members made it).
   */
  public Map<String, Double> rubricTheory() {
    Map<String, Double> out = new LinkedHashMap<>();
    List<Task> rubric = completedTasks().stream().filter(Task::isRubric).toList();
    // the theory enumerates every combination of met criteria: fine for the synthetic sets, not for 40-item rubrics
    if (!options.offline() || rubric.isEmpty() || rubric.stream().anyMatch(t -> t.rubric().size() > 16)) {
      return out;
    }
    for (QualityBench.ModeResult m : modes) {
      OpenFusionConfig c = m.recipe().config();
      if (!defaultAccuracy(c)) {
        continue;
      }
      if (m.recipe().solo()) {
        out.put(m.recipe().mode(), Theory.rubricMean(rubric, options.p(), 1));
      } else if (c.aggregator() == Aggregator.JUDGE) {
        out.put(m.recipe().mode(), Theory.rubricMean(rubric, options.p(), m.members()));
      }
    }
    return out;
  }

  /** Offline only, reference tasks only: the expected win rate of each pairwise comparison against solo. */
  public Map<String, Double> pairwiseTheory() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!options.offline() || !completedTasks().stream().allMatch(Task::hasReference)) {
      return out;
    }
    for (PairwiseResult p : pairwise) {
      if (!p.second().equals(BenchRecipe.SOLO)) {
        continue;
      }
      QualityBench.ModeResult m = modes.stream().filter(x -> x.recipe().mode().equals(p.first())).findFirst().orElseThrow();
      if (!defaultAccuracy(m.recipe().config())) {
        continue;
      }
      boolean selfFusion = m.recipe().config().strategy() == Strategy.SELF_FUSION;
      out.put(p.first() + " vs " + p.second(), Theory.winRateAgainstSolo(m.members(), options.p(), options.wrong(), !selfFusion));
    }
    return out;
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.1f%%", 100 * v);
  }

  private static String usd(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.6f", v);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    Map<String, Summary> sums = summaries();
    md.append("## Quality run ").append(when).append("\n\n");
    md.append("- tasks: ").append(RepoPaths.display(options.tasks())).append(" (").append(tasks.size()).append(", ")
      .append(completeTasks()).append(" complete in every mode)");
    md.append(options.offline() ? String.format("; OFFLINE simulation: members right with p = %.2f, independent errors, "
      + "%s wrong answers, seed %d", options.p(), options.wrong().name().toLowerCase(), options.seed()) : "").append('\n');
    md.append("- requests: non-streamed, temperature 0, max_tokens ").append(options.maxTokens()).append(", concurrency ")
      .append(options.concurrency()).append(options.baseUrl() != null ? ", proxy at " + options.baseUrl()
        : ", proxy started in-process per recipe").append('\n');
    md.append("- machine: ").append(Proc.machine()).append("\n\n");
    boolean anyReference = sums.values().stream().anyMatch(s -> s.graded() > 0);
    boolean anyRubric = sums.values().stream().anyMatch(s -> s.rubricTasks() > 0);
    md.append("| mode | model | members |");
    if (anyReference) {
      md.append(" accuracy | Wilson 95% |");
    }
    if (anyRubric) {
      md.append(" rubric score | t 95% |");
    }
    md.append(" errors | grading errors | latency p50 | p90 | tokens | cost (USD) | cost / task |");
    md.append(anyReference ? " cost / correct | tokens / correct |" : "").append("\n|---|---|---:|");
    md.append(anyReference ? "---:|---:|" : "").append(anyRubric ? "---:|---:|" : "").append("---:|---:|---:|---:|---:|---:|---:|");
    md.append(anyReference ? "---:|---:|" : "").append('\n');
    for (Summary s : sums.values()) {
      md.append(String.format("| %s | %s | %d |", s.mode(), s.model(), s.members()));
      if (anyReference) {
        md.append(s.graded() == 0 ? " - | - |" : String.format(" %.1f%% (%d/%d) | %s |", 100 * s.accuracy(), s.correct(),
          s.graded(), s.interval().percent()));
      }
      if (anyRubric) {
        md.append(s.rubricTasks() == 0 ? " - | - |" : String.format(" %.1f%% (n=%d) | %s |", 100 * s.score().mean(),
          s.rubricTasks(), s.score().percent()));
      }
      md.append(String.format(" %d | %d | %s | %s | %d | %.6f | %s |", s.errors(), s.gradeErrors(),
        Double.isNaN(s.latencyP50()) ? "-" : String.format("%.2f s", s.latencyP50()),
        Double.isNaN(s.latencyP90()) ? "-" : String.format("%.2f s", s.latencyP90()), s.tokens(), s.cost(),
        s.tasks() == 0 ? "-" : String.format("%.7f", s.cost() / s.tasks())));
      if (anyReference) {
        md.append(String.format(" %s | %s |", Double.isNaN(s.costPerCorrect()) ? "-" : String.format("%.7f", s.costPerCorrect()),
          Double.isNaN(s.tokensPerCorrect()) ? "-" : String.format("%.0f", s.tokensPerCorrect())));
      }
      md.append('\n');
    }
    List<Paired> paired = pairedWithSolo();
    if (!paired.isEmpty()) {
      md.append("\n| rubric score vs solo, same tasks | mean difference | t 95% | wins | ties | losses |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
      for (Paired p : paired) {
        md.append(String.format("| %s - solo | %+.1f points | %+.1f to %+.1f | %d | %d | %d |%n", p.mode(),
          100 * p.difference().mean(), 100 * p.difference().low(), 100 * p.difference().high(), p.wins(), p.ties(), p.losses()));
      }
    }
    Map<String, Map<String, double[]>> domains = byDomain();
    if (!domains.isEmpty()) {
      List<String> modeNames = new ArrayList<>(sums.keySet());
      md.append("\n| rubric score by domain |");
      modeNames.forEach(m -> md.append(' ').append(m).append(" |"));
      md.append("\n|---|");
      modeNames.forEach(m -> md.append("---:|"));
      md.append('\n');
      domains.forEach((domain, byMode) -> {
        md.append("| ").append(domain).append(" |");
        for (String m : modeNames) {
          double[] a = byMode.get(m);
          md.append(a == null ? " - |" : String.format(" %.1f%% (%d) |", 100 * a[0], (int) a[1]));
        }
        md.append('\n');
      });
    }
    if (!pairwise.isEmpty()) {
      md.append("\n| pairwise (blind) | judge | orders | wins | losses | ties | of which position-inconsistent | unparsed "
        + "| win rate | Wilson 95% | judge picked A | judge cost |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (PairwiseResult p : pairwise) {
        md.append(String.format("| %s vs %s | %s | %d | %d | %d | %d | %d | %d | %s | %s | %s | %.6f |%n", p.first(), p.second(),
          p.judgeModel(), p.orders(), p.firstWins(), p.secondWins(), p.ties(), p.inconsistent(), p.unparsed(), pct(p.winRate()),
          p.interval().percent(), pct(p.positionARate()), p.judgeCost()));
      }
    }
    if (options.offline()) {
      Map<String, Double> theory = theory();
      Map<String, Double> rubricTheory = rubricTheory();
      Map<String, Double> pt = pairwiseTheory();
      if (!theory.isEmpty() || !rubricTheory.isEmpty() || !pt.isEmpty()) {
        md.append("\n| offline check | measured | theory | inside the 95% interval? |\n|---|---:|---:|---|\n");
        theory.forEach((mode, t) -> {
          Summary s = sums.get(mode);
          md.append(String.format("| %s accuracy | %s | %.1f%% | %s |%n", mode, pct(s.accuracy()), 100 * t,
            t >= s.interval().low() && t <= s.interval().high() ? "yes" : "NO"));
        });
        rubricTheory.forEach((mode, t) -> {
          Summary s = sums.get(mode);
          md.append(String.format("| %s rubric score | %s | %.1f%% | %s |%n", mode, pct(s.score().mean()), 100 * t,
            t >= s.score().low() && t <= s.score().high() ? "yes" : "NO"));
        });
        for (PairwiseResult p : pairwise) {
          Double t = pt.get(p.first() + " vs " + p.second());
          if (t != null) {
            Wilson w = p.interval();
            md.append(String.format("| %s vs %s win rate | %s | %.1f%% | %s |%n", p.first(), p.second(), pct(p.winRate()),
              100 * t, t >= w.low() && t <= w.high() ? "yes" : "NO"));
          }
        }
      }
    }
    md.append("\n");
    double gradeCost = sums.values().stream().mapToDouble(Summary::gradeCost).sum();
    double judgeCost = pairwise.stream().mapToDouble(PairwiseResult::judgeCost).sum();
    md.append(String.format("Spend: $%.6f over %d requests (answers $%.6f, grading $%.6f, pairwise judging $%.6f)%s%s.%n",
      spentUsd(), spend.getInteger("requests", 0), sums.values().stream().mapToDouble(Summary::cost).sum(), gradeCost, judgeCost,
      spend.getValue("max_usd") == null ? ", no cap" : String.format(", cap $%.4f", spend.getDouble("max_usd")),
      spend.getInteger("unpriced_responses", 0) > 0 ? ", " + spend.getInteger("unpriced_responses") + " responses without a price"
        : ""));
    if (spend.getValue("simulator_billed_usd") != null) {
      md.append(String.format("The simulated providers billed $%.6f for %d calls.%n", spend.getDouble("simulator_billed_usd"),
        spend.getInteger("simulator_requests")));
    }
    if (stopped()) {
      md.append("\n**").append(stopSummary()).append(".** Metrics above are over the complete tasks only.\n");
    }
    if (gate != null) {
      md.append('\n').append(gate.markdown());
    }
    return md.toString();
  }

  public JsonObject json() {
    JsonArray modeRows = new JsonArray();
    Map<String, Double> theory = theory();
    Map<String, Double> rubricTheory = rubricTheory();
    Map<String, Summary> sums = summaries();
    for (QualityBench.ModeResult m : modes) {
      Summary s = sums.get(m.recipe().mode());
      JsonArray results = new JsonArray();
      completed(m).forEach(r -> results.add(r.toJson()));
      modeRows.add(new JsonObject().put("mode", s.mode()).put("recipe", RepoPaths.display(m.recipe().file().toString()))
        .put("model", s.model())
        .put("members", s.members()).put("tasks", s.tasks()).put("errors", s.errors()).put("grade_errors", s.gradeErrors())
        .put("graded", s.graded()).put("correct", s.correct())
        .put("accuracy", s.graded() == 0 ? null : s.accuracy())
        .put("wilson_low", s.graded() == 0 ? null : s.interval().low())
        .put("wilson_high", s.graded() == 0 ? null : s.interval().high())
        .put("rubric_tasks", s.rubricTasks())
        .put("rubric_score", s.rubricTasks() == 0 ? null : s.score().mean())
        .put("rubric_sd", s.rubricTasks() == 0 ? null : s.score().sd())
        .put("rubric_low", s.rubricTasks() == 0 ? null : s.score().low())
        .put("rubric_high", s.rubricTasks() == 0 ? null : s.score().high())
        .put("latency_p50_s", Double.isNaN(s.latencyP50()) ? null : s.latencyP50())
        .put("latency_p90_s", Double.isNaN(s.latencyP90()) ? null : s.latencyP90()).put("total_tokens", s.tokens())
        .put("total_cost_usd", s.cost()).put("cost_per_correct_usd", Double.isNaN(s.costPerCorrect()) ? null : s.costPerCorrect())
        .put("tokens_per_correct", Double.isNaN(s.tokensPerCorrect()) ? null : s.tokensPerCorrect())
        .put("grading_cost_usd", s.gradeCost())
        .put("theory_accuracy", theory.get(s.mode())).put("theory_rubric_score", rubricTheory.get(s.mode()))
        .put("results", results));
    }
    JsonArray pairs = new JsonArray();
    Map<String, Double> pt = pairwiseTheory();
    pairwise.forEach(p -> pairs.add(p.toJson().put("theory_win_rate", pt.get(p.first() + " vs " + p.second()))));
    JsonArray paired = new JsonArray();
    pairedWithSolo().forEach(p -> paired.add(new JsonObject().put("mode", p.mode()).put("n", p.difference().n())
      .put("mean_difference", p.difference().mean()).put("low", p.difference().low()).put("high", p.difference().high())
      .put("wins", p.wins()).put("ties", p.ties()).put("losses", p.losses())));
    JsonObject domains = new JsonObject();
    byDomain().forEach((d, byMode) -> {
      JsonObject row = new JsonObject();
      byMode.forEach((m, a) -> row.put(m, new JsonObject().put("mean", a[0]).put("n", (int) a[1])));
      domains.put(d, row);
    });
    JsonArray metrics = new JsonArray();
    metrics().forEach(m -> metrics.add(m.toJson()));
    JsonObject out = new JsonObject().put("when", when).put("machine", Proc.machine())
      .put("tasks", RepoPaths.display(options.tasks()))
      .put("task_count", tasks.size()).put("tasks_complete", completeTasks()).put("task_set", taskSet())
      .put("offline", options.offline()).put("p", options.offline() ? options.p() : null)
      .put("seed", options.seed()).put("wrong", options.wrong().name().toLowerCase()).put("max_tokens", options.maxTokens())
      .put("spend", spend).put("metrics", metrics)
      .put("modes", modeRows).put("pairwise", pairs).put("rubric_vs_solo", paired).put("rubric_by_domain", domains);
    if (gate != null) {
      out.put("gate", gate.toJson());
    }
    return out;
  }
}
