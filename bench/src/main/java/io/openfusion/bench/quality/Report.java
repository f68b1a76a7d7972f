package io.openfusion.bench.quality;

import io.openfusion.bench.common.Percentiles;
import io.openfusion.bench.common.Proc;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The quality run's results: a summary per mode, pairwise win rates and, offline, the comparison with theory. */
public final class Report {

  /** The per-mode numbers of the table. */
  public record Summary(String mode, String model, int members, int tasks, int correct, int errors, double accuracy,
                        Wilson interval, double latencyP50, double latencyP90, long tokens, double cost,
                        double costPerCorrect, double tokensPerCorrect) {
  }

  private final QualityBench.Options options;
  private final List<Task> tasks;
  private final List<QualityBench.ModeResult> modes;
  private final List<PairwiseResult> pairwise;
  private final String when = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));

  Report(QualityBench.Options options, List<Task> tasks, List<QualityBench.ModeResult> modes, List<PairwiseResult> pairwise) {
    this.options = options;
    this.tasks = tasks;
    this.modes = modes;
    this.pairwise = pairwise;
  }

  public Map<String, Summary> summaries() {
    Map<String, Summary> out = new LinkedHashMap<>();
    for (QualityBench.ModeResult m : modes) {
      List<QualityBench.TaskResult> rs = m.results();
      int correct = (int) rs.stream().filter(QualityBench.TaskResult::correct).count();
      int errors = (int) rs.stream().filter(r -> r.error() != null).count();
      List<Double> latencies = new ArrayList<>();
      rs.stream().filter(r -> r.error() == null).forEach(r -> latencies.add(r.latencySeconds()));
      Percentiles lat = Percentiles.ofDoubles(latencies);
      long tokens = rs.stream().mapToLong(QualityBench.TaskResult::totalTokens).sum();
      double cost = rs.stream().mapToDouble(QualityBench.TaskResult::cost).sum();
      out.put(m.recipe().mode(), new Summary(m.recipe().mode(), m.recipe().requestModel(), m.members(), rs.size(), correct,
        errors, rs.isEmpty() ? 0 : (double) correct / rs.size(), Wilson.of(correct, rs.size()), lat.at(0.5) / 1e6,
        lat.at(0.9) / 1e6, tokens, cost, correct == 0 ? Double.NaN : cost / correct,
        correct == 0 ? Double.NaN : (double) tokens / correct));
    }
    return out;
  }

  public List<PairwiseResult> pairwise() {
    return pairwise;
  }

  /** Offline only: what each mode should score, given the simulated members' accuracy. */
  public Map<String, Double> theory() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!options.offline()) {
      return out;
    }
    for (QualityBench.ModeResult m : modes) {
      int n = m.members();
      out.put(m.recipe().mode(), m.recipe().solo() ? options.p() : Theory.vote(n, options.p(), options.wrong()));
    }
    return out;
  }

  /** Offline only: the expected win rate of each pairwise comparison against solo. */
  public Map<String, Double> pairwiseTheory() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!options.offline()) {
      return out;
    }
    for (PairwiseResult p : pairwise) {
      if (!p.second().equals(BenchRecipe.SOLO)) {
        continue;
      }
      QualityBench.ModeResult m = modes.stream().filter(x -> x.recipe().mode().equals(p.first())).findFirst().orElseThrow();
      boolean selfFusion = m.recipe().config() != null
        && m.recipe().config().strategy() == io.openfusion.shared.config.Strategy.SELF_FUSION;
      out.put(p.first() + " vs " + p.second(), Theory.winRateAgainstSolo(m.members(), options.p(), options.wrong(), !selfFusion));
    }
    return out;
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## Quality run ").append(when).append("\n\n");
    md.append("- tasks: ").append(options.tasks()).append(" (").append(tasks.size()).append(")");
    md.append(options.offline() ? String.format("; OFFLINE simulation: members right with p = %.2f, independent errors, "
      + "%s wrong answers, seed %d", options.p(), options.wrong().name().toLowerCase(), options.seed()) : "").append('\n');
    md.append("- requests: non-streamed, temperature 0, max_tokens ").append(options.maxTokens()).append(", concurrency ")
      .append(options.concurrency()).append(options.baseUrl() != null ? ", proxy at " + options.baseUrl()
        : ", proxy started in-process per recipe").append('\n');
    md.append("- machine: ").append(Proc.machine()).append("\n\n");
    md.append("| mode | model | members | accuracy | Wilson 95% | errors | latency p50 | p90 | tokens | cost (USD) "
      + "| cost / correct | tokens / correct |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Summary s : summaries().values()) {
      md.append(String.format("| %s | %s | %d | %.1f%% (%d/%d) | %s | %d | %.2f s | %.2f s | %d | %.6f | %s | %s |%n",
        s.mode(), s.model(), s.members(), 100 * s.accuracy(), s.correct(), s.tasks(), s.interval().percent(), s.errors(),
        s.latencyP50(), s.latencyP90(), s.tokens(), s.cost(),
        Double.isNaN(s.costPerCorrect()) ? "-" : String.format("%.7f", s.costPerCorrect()),
        Double.isNaN(s.tokensPerCorrect()) ? "-" : String.format("%.0f", s.tokensPerCorrect())));
    }
    if (!pairwise.isEmpty()) {
      md.append("\n| pairwise (blind, A/B by task-id hash) | judge | wins | losses | ties | unparsed | first shown as A "
        + "| win rate | Wilson 95% | judge cost |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (PairwiseResult p : pairwise) {
        md.append(String.format("| %s vs %s | %s | %d | %d | %d | %d | %d/%d | %s | %s | %.6f |%n", p.first(), p.second(),
          p.judgeModel(), p.firstWins(), p.secondWins(), p.ties(), p.unparsed(), p.firstAsA(), p.judged(),
          p.decided() == 0 ? "-" : String.format("%.1f%%", 100 * p.winRate()), p.interval().percent(), p.judgeCost()));
      }
    }
    if (options.offline()) {
      md.append("\n| offline check | measured | theory | inside Wilson 95%? |\n|---|---:|---:|---|\n");
      Map<String, Summary> sums = summaries();
      theory().forEach((mode, t) -> {
        Summary s = sums.get(mode);
        md.append(String.format("| %s accuracy | %.1f%% | %.1f%% | %s |%n", mode, 100 * s.accuracy(), 100 * t,
          t >= s.interval().low() && t <= s.interval().high() ? "yes" : "NO"));
      });
      Map<String, Double> pt = pairwiseTheory();
      for (PairwiseResult p : pairwise) {
        Double t = pt.get(p.first() + " vs " + p.second());
        if (t != null) {
          Wilson w = p.interval();
          md.append(String.format("| %s vs %s win rate | %.1f%% | %.1f%% | %s |%n", p.first(), p.second(), 100 * p.winRate(),
            100 * t, t >= w.low() && t <= w.high() ? "yes" : "NO"));
        }
      }
    }
    return md.toString();
  }

  public JsonObject json() {
    JsonArray modeRows = new JsonArray();
    Map<String, Double> theory = theory();
    for (QualityBench.ModeResult m : modes) {
      Summary s = summaries().get(m.recipe().mode());
      JsonArray results = new JsonArray();
      m.results().forEach(r -> results.add(r.toJson()));
      modeRows.add(new JsonObject().put("mode", s.mode()).put("recipe", m.recipe().file().toString()).put("model", s.model())
        .put("members", s.members()).put("tasks", s.tasks()).put("correct", s.correct()).put("errors", s.errors())
        .put("accuracy", s.accuracy()).put("wilson_low", s.interval().low()).put("wilson_high", s.interval().high())
        .put("latency_p50_s", s.latencyP50()).put("latency_p90_s", s.latencyP90()).put("total_tokens", s.tokens())
        .put("total_cost_usd", s.cost()).put("cost_per_correct_usd", Double.isNaN(s.costPerCorrect()) ? null : s.costPerCorrect())
        .put("tokens_per_correct", Double.isNaN(s.tokensPerCorrect()) ? null : s.tokensPerCorrect())
        .put("theory_accuracy", theory.get(s.mode()))
        .put("results", results));
    }
    JsonArray pairs = new JsonArray();
    Map<String, Double> pt = pairwiseTheory();
    pairwise.forEach(p -> pairs.add(p.toJson().put("theory_win_rate", pt.get(p.first() + " vs " + p.second()))));
    return new JsonObject().put("when", when).put("machine", Proc.machine()).put("tasks", options.tasks())
      .put("task_count", tasks.size()).put("offline", options.offline()).put("p", options.offline() ? options.p() : null)
      .put("seed", options.seed()).put("wrong", options.wrong().name().toLowerCase()).put("max_tokens", options.maxTokens())
      .put("modes", modeRows).put("pairwise", pairs);
  }
}
