package io.openfusion.bench.quality;

import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.Futures;
import io.openfusion.bench.common.QuietLogs;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.router.fusion.WebTools;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The quality harness: runs every task through every mode (a recipe file each: solo, self-fusion, panel + judge, vote,
 * ranked, debate, or any other), non-streamed at temperature 0, through the proxy (started in-process per recipe, or
 * at {@code --base-url}). Tasks are checked against a reference (accuracy with a Wilson interval), graded against a
 * weighted rubric (mean score with a t interval), or, for open prompts, only compared pairwise by a blind judge in both
 * orders (win rate with a Wilson interval). Cost, tokens and latency are reported per mode, with cost per correct
 * answer.
 *
 * <p>Tasks run task by task across all modes (task 1 in every mode and its gradings, then task 2, ...; {@code
 * --concurrency} tasks at once), so a run stopped by {@code --max-usd} still compares every mode on the same tasks:
 * only tasks that finished in every mode count. {@code --fail-on-regression BASELINE.json} compares the run with an
 * earlier result file ({@link RegressionGate}). {@code --offline} runs the same pipeline against simulated members of
 * known accuracy ({@link SimUpstream}) and compares every mode with theory.
 *
 * <p>Exit codes: 0 done; 1 the harness failed; 2 bad arguments (or a baseline of other tasks); 3 a regression against
 * the baseline; 4 stopped at the spending cap (results so far are written, the gate is not evaluated).
 */
public final class QualityBench {

  public static final int EXIT_OK = 0;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_REGRESSION = 3;
  public static final int EXIT_CAP = 4;

  /** The cap for a live run when {@code --max-usd} is not given: enough for the sample sets with cheap models. */
  public static final double DEFAULT_LIVE_MAX_USD = 1.00;

  static final Set<String> OPTIONS = Set.of("offline", "tasks", "limit", "recipes", "recipe-dir", "modes", "p", "seed",
    "wrong", "concurrency", "max-tokens", "base-url", "api-key", "pairwise", "pairwise-orders", "judge-model",
    "judge-recipe", "grader-model", "grade-runs", "output", "system", "max-usd", "price-per-mtok", "fail-on-regression",
    "help");

  /**
   * Everything one run needs.
   *
   * @param pairwiseOrders 2: judge every task in both orders; 1: one order by task-id hash
   * @param judgeModel     the pairwise judge; null: the grader model
   * @param gradeRuns      grader calls per rubric answer, averaged
   * @param maxUsd         the spending cap; {@code Double.POSITIVE_INFINITY} for none
   * @param pricePerMTok   {@code [prompt, completion]} USD per million tokens for responses without a cost, or null
   */
  public record Options(String tasks, int limit, boolean offline, double p, long seed, SimUpstream.Wrong wrong,
                        List<Path> recipes, int concurrency, int maxTokens, String baseUrl, String apiKey,
                        List<String> pairwise, int pairwiseOrders, String judgeModel, Path judgeRecipe,
                        String graderModel, int gradeRuns, String system, double maxUsd, double[] pricePerMTok) {

    /** The offline check with the shipped recipes. */
    public static Options offline(String tasks, double p, long seed, SimUpstream.Wrong wrong, List<String> modes,
                                  int concurrency, List<String> pairwise) {
      Path dir = RepoPaths.resolve("bench/recipes/offline");
      List<Path> recipes = modes.stream().map(m -> dir.resolve(m + ".yaml")).toList();
      return new Options(tasks, 0, true, p, seed, wrong, recipes, concurrency, 64, null, null, pairwise, 2,
        SimUpstream.PAIRWISE, null, SimUpstream.GRADER, 1, null, Double.POSITIVE_INFINITY, null);
    }

    public Options withRecipes(List<Path> files) {
      return new Options(tasks, limit, offline, p, seed, wrong, files, concurrency, maxTokens, baseUrl, apiKey, pairwise,
        pairwiseOrders, judgeModel, judgeRecipe, graderModel, gradeRuns, system, maxUsd, pricePerMTok);
    }

    public Options withJudge(String model, int orders) {
      return new Options(tasks, limit, offline, p, seed, wrong, recipes, concurrency, maxTokens, baseUrl, apiKey, pairwise,
        orders, model, judgeRecipe, graderModel, gradeRuns, system, maxUsd, pricePerMTok);
    }

    public Options withMaxUsd(double cap) {
      return new Options(tasks, limit, offline, p, seed, wrong, recipes, concurrency, maxTokens, baseUrl, apiKey, pairwise,
        pairwiseOrders, judgeModel, judgeRecipe, graderModel, gradeRuns, system, cap, pricePerMTok);
    }

    /** The pairwise judge: {@code --judge-model}, else the grader. */
    public String pairwiseJudge() {
      return judgeModel != null ? judgeModel : graderModel;
    }
  }

  /**
   * One answer to one task in one mode, and its grading.
   *
   * @param correct    right against the reference (reference tasks only)
   * @param score      the rubric score in [0, 1] (rubric tasks; 0 when the mode failed to answer; null when grading failed)
   * @param error      why the mode gave no answer, or null
   * @param gradeError why grading failed, or null (the task then counts for neither accuracy nor score)
   * @param gradeCost  what grading this answer cost (not part of the mode's cost)
   */
  public record TaskResult(String taskId, boolean correct, Double score, double latencySeconds, long totalTokens,
                           double cost, String answer, String error, String gradeError, double gradeCost) {

    JsonObject toJson() {
      return new JsonObject().put("id", taskId).put("correct", correct).put("score", score).put("latency_s", latencySeconds)
        .put("total_tokens", totalTokens).put("cost_usd", cost).put("answer", answer).put("error", error)
        .put("grade_error", gradeError).put("grade_cost_usd", gradeCost);
    }
  }

  /** All answers of one mode, by task index (null where the task did not run). */
  public record ModeResult(BenchRecipe recipe, int members, TaskResult[] results) {
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final AtomicInteger NODES = new AtomicInteger();

  private QualityBench() {
  }

  public static void main(String[] argv) throws Exception {
    System.exit(execute(argv));
  }

  /** Runs the harness; returns the exit code (see the class comment). */
  public static int execute(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      System.out.println(usage());
      return EXIT_OK;
    }
    Options options;
    JsonObject baseline = null;
    try {
      args.checkKnown(OPTIONS);
      options = options(args);
      if (args.has("fail-on-regression")) {
        baseline = RegressionGate.readBaseline(RepoPaths.resolve(args.string("fail-on-regression", "")));
      }
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("quality: " + e.getMessage());
      return EXIT_USAGE;
    }
    Report report;
    try {
      report = run(options);
    } catch (IllegalArgumentException e) {
      System.err.println("quality: " + e.getMessage());
      return EXIT_USAGE;
    }
    RegressionGate.Result gate = null;
    if (baseline != null && !report.stopped()) {
      gate = RegressionGate.compare(baseline, report.json());
      report.gate(gate);
    }
    String md = report.markdown();
    Path output = RepoPaths.resolve(args.string("output", "bench/results/quality-" + LocalDateTime.now().format(STAMP) + ".json"));
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, report.json().encodePrettily());
    Files.writeString(Path.of(output.toString().replaceFirst("\\.json$", "") + ".md"), md);
    System.out.println(md);
    System.out.println("wrote " + output);
    if (report.stopped()) {
      System.err.println("quality: " + report.stopSummary() + (baseline != null ? "; the regression gate was not evaluated" : ""));
      return EXIT_CAP;
    }
    if (gate != null) {
      if (gate.error() != null) {
        System.err.println("quality: --fail-on-regression: " + gate.error());
        return EXIT_USAGE;
      }
      if (gate.regressed()) {
        System.err.println("quality: regression against " + args.string("fail-on-regression", "") + ": "
          + String.join(", ", gate.regressions()));
        return EXIT_REGRESSION;
      }
    }
    return EXIT_OK;
  }

  static Options options(Args args) throws IOException {
    boolean offline = args.flag("offline");
    List<Path> recipes;
    if (args.has("recipes")) {
      recipes = args.strings("recipes", List.of()).stream().map(RepoPaths::resolve).toList();
    } else {
      Path dir = RepoPaths.resolve(args.string("recipe-dir", offline ? "bench/recipes/offline" : "bench/recipes/openrouter"));
      List<String> modes = args.strings("modes", List.of());
      recipes = modes.isEmpty() ? allRecipes(dir) : modes.stream().map(m -> dir.resolve(m + ".yaml")).toList();
    }
    for (Path r : recipes) {
      if (!Files.isRegularFile(r)) {
        throw new IllegalArgumentException("no recipe file " + r);
      }
    }
    String spec = args.string("tasks", offline ? "synthetic:400" : "bench/tasks/sample.jsonl");
    String path = TaskLoader.path(spec);
    if (path != null) {
      spec = TaskLoader.withPath(spec, RepoPaths.resolve(path).toString());
    }
    int orders = args.integer("pairwise-orders", 2);
    if (orders != 1 && orders != 2) {
      throw new IllegalArgumentException("--pairwise-orders must be 1 or 2");
    }
    return new Options(spec, args.integer("limit", 0), offline, args.number("p", 0.7), args.longValue("seed", 42),
      SimUpstream.Wrong.valueOf(args.string("wrong", "shared").toUpperCase()), recipes,
      args.integer("concurrency", offline ? 16 : 4), args.integer("max-tokens", 64), args.string("base-url", null),
      args.string("api-key", null), args.strings("pairwise", offline ? List.of("auto") : List.of()), orders,
      args.string("judge-model", offline ? SimUpstream.PAIRWISE : null),
      args.has("judge-recipe") ? RepoPaths.resolve(args.string("judge-recipe", "")) : null,
      args.string("grader-model", offline ? SimUpstream.GRADER : null), Math.max(1, args.integer("grade-runs", 1)),
      args.string("system", null), maxUsd(args.string("max-usd", null), offline), price(args.string("price-per-mtok", null)));
  }

  static double maxUsd(String value, boolean offline) {
    if (value == null) {
      return offline ? Double.POSITIVE_INFINITY : DEFAULT_LIVE_MAX_USD;
    }
    if (value.equalsIgnoreCase("none")) {
      return Double.POSITIVE_INFINITY;
    }
    double cap;
    try {
      cap = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-usd must be a dollar amount or none, got " + value);
    }
    if (!(cap >= 0) || Double.isInfinite(cap)) {
      throw new IllegalArgumentException("--max-usd must be a dollar amount >= 0 or none, got " + value);
    }
    return cap;
  }

  static double[] price(String value) {
    if (value == null) {
      return null;
    }
    String[] parts = value.split(",");
    try {
      if (parts.length == 2) {
        double in = Double.parseDouble(parts[0].trim());
        double out = Double.parseDouble(parts[1].trim());
        if (in >= 0 && out >= 0) {
          return new double[] {in, out};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--price-per-mtok takes PROMPT,COMPLETION in USD per million tokens, e.g. 0.15,0.60");
  }

  static String usage() {
    return """
      quality: accuracy, rubric scores, pairwise win rates, latency, tokens and cost per mode, through the proxy
        --tasks SPEC                       bench/tasks/sample.jsonl (default; offline: synthetic:400), or
                                           gsm8k:FILE.jsonl   GSM8K format (question, answer ending "#### N")
                                           rubric:FILE.jsonl  DRACO-style rubric tasks (needs --grader-model)
                                           FILE.jsonl         id, prompt, answer, scoring (exact|contains|numeric|
                                                              judge|rubric|none); no answer = open prompt
                                           synthetic:N | synthetic-rubric:N | synthetic-open:N   (offline check)
        --limit N                          first N tasks
        --recipe-dir DIR --modes a,b       recipes DIR/<mode>.yaml (default: every recipe in
                                           bench/recipes/openrouter, or bench/recipes/offline with --offline)
        --recipes f1.yaml,f2.yaml          explicit recipe files
        --base-url URL                     use a running proxy instead of starting one per recipe
        --api-key KEY                      gateway key (default: the recipe's first gateway key, else bench-key)
        --concurrency N --max-tokens 64 --system TEXT
        --grader-model M                   grades "judge" and rubric tasks; also the pairwise judge by default
        --grade-runs 1                     grader calls per rubric answer, averaged
        --pairwise fusion:solo,...|auto    blind pairwise judging of two modes' answers (auto: every mode vs solo)
        --pairwise-orders 2                2: both orders per task (cancels position bias); 1: one, by task-id hash
        --judge-model M --judge-recipe F   pairwise judge (default the grader) and the recipe graders are sent through
        --max-usd 1.00 | none              stop before the spend would pass this (live default 1.00, offline none)
        --price-per-mtok IN,OUT            price for responses that report no usage.cost (USD per million tokens)
        --fail-on-regression BASE.json     exit 3 when a metric is significantly below the baseline's (see README)
        --offline --p 0.7 --seed 42 --wrong shared|distinct   simulated members, checked against theory
        --output FILE.json                 also writes FILE.md (default bench/results/quality-<timestamp>.json)
      exit: 0 ok, 1 failure, 2 bad arguments, 3 regression, 4 stopped at the spending cap""";
  }

  static List<Path> allRecipes(Path dir) throws IOException {
    List<String> order = List.of("solo", "self_fusion", "panel_judge", "vote", "ranked", "debate");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml"))
        .sorted((a, b) -> {
          int ia = order.indexOf(a.getFileName().toString().replace(".yaml", ""));
          int ib = order.indexOf(b.getFileName().toString().replace(".yaml", ""));
          ia = ia < 0 ? order.size() : ia;
          ib = ib < 0 ? order.size() : ib;
          return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
        })
        .toList();
    }
  }

  /** Runs every task in every mode, with grading and pairwise judging; blocking, call it from a plain thread. */
  public static Report run(Options o) throws Exception {
    List<Task> tasks = TaskLoader.load(o.tasks(), o.limit());
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("no tasks in " + o.tasks());
    }
    if (o.recipes().isEmpty()) {
      throw new IllegalArgumentException("no recipes to run");
    }
    boolean needsGrader = tasks.stream().anyMatch(t -> t.isRubric() || t.scoring() == Scoring.Method.JUDGE);
    if (needsGrader && o.graderModel() == null) {
      throw new IllegalArgumentException("these tasks need a grader (rubric or judge scoring): pass --grader-model");
    }
    Vertx vertx = Vertx.vertx();
    SimUpstream sim = null;
    List<Node> nodes = new ArrayList<>();
    HttpClient http = null;
    try {
      Map<String, String> env = new HashMap<>(System.getenv());
      if (o.offline()) {
        sim = SimUpstream.start(vertx, tasks, o.p(), o.seed(), o.wrong()).await();
        env.put("BENCH_SIM_URL", sim.baseUrl());
      }
      List<BenchRecipe> recipes = new ArrayList<>();
      Map<String, BenchRecipe> byMode = new LinkedHashMap<>();
      for (Path file : o.recipes()) {
        BenchRecipe recipe = BenchRecipe.load(vertx, file, env);
        if (byMode.put(recipe.mode(), recipe) != null) {
          throw new IllegalArgumentException("two recipes have mode " + recipe.mode());
        }
        recipes.add(recipe);
      }
      List<String[]> pairs = pairs(o.pairwise(), byMode);
      if (!pairs.isEmpty() && o.pairwiseJudge() == null) {
        throw new IllegalArgumentException("--pairwise needs --grader-model (or --judge-model)");
      }
      if (tasks.stream().anyMatch(Task::isOpen) && pairs.isEmpty()) {
        log("note: open prompts (no reference, no rubric) are only compared pairwise; pass --pairwise to judge them");
      }
      BenchRecipe judgeRecipe = o.judgeRecipe() != null ? BenchRecipe.load(vertx, o.judgeRecipe(), env)
        : byMode.getOrDefault(BenchRecipe.SOLO, recipes.get(0));
      if (o.offline()) {
        for (BenchRecipe r : recipes) {
          offlineOnly(r, sim.baseUrl());
        }
        offlineOnly(judgeRecipe, sim.baseUrl());
      }
      SpendGuard guard = new SpendGuard(o.maxUsd(), o.pricePerMTok());
      http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(Math.max(4, 2 * o.concurrency())));
      PriceBook prices = new PriceBook(WebClient.wrap(http));
      Map<BenchRecipe, ProxyClient> targets = new LinkedHashMap<>();
      for (BenchRecipe r : recipes) {
        targets.put(r, target(o, r, http, guard, prices, nodes));
      }
      ProxyClient grading = targets.containsKey(judgeRecipe) ? targets.get(judgeRecipe)
        : target(o, judgeRecipe, http, guard, prices, nodes);
      log(tasks.size() + " tasks x " + recipes.size() + " modes (" + String.join(", ", byMode.keySet()) + ")"
        + (pairs.isEmpty() ? "" : ", pairwise " + pairs.stream().map(p -> p[0] + ":" + p[1]).toList() + " judged by "
        + o.pairwiseJudge()) + (guard.limited() ? String.format(", spending cap $%.2f", o.maxUsd()) : ""));
      Run run = new Run(o, tasks, recipes, targets, grading, pairs, guard);
      long t0 = System.nanoTime();
      run.all(vertx).await();
      log(String.format("%d/%d tasks complete in %.1f s, spent $%.6f over %d requests%s", run.completeCount(), tasks.size(),
        (System.nanoTime() - t0) / 1e9, guard.spent(), guard.requests(), guard.stopped() ? "; " + guard.stopReason() : ""));
      List<ModeResult> modes = new ArrayList<>();
      for (int m = 0; m < recipes.size(); m++) {
        modes.add(new ModeResult(recipes.get(m), members(recipes.get(m).config()), run.results[m]));
      }
      List<PairwiseResult> pairResults = new ArrayList<>();
      for (int q = 0; q < pairs.size(); q++) {
        List<PairwiseResult.TaskVerdicts> verdicts = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
          verdicts.add(run.complete[i] ? run.verdicts[q][i] : null);
        }
        pairResults.add(PairwiseResult.of(pairs.get(q)[0], pairs.get(q)[1], o.pairwiseJudge(), o.pairwiseOrders(), verdicts,
          run.judgeTokens[q].get(), run.judgeCost(q)));
      }
      JsonObject spend = guard.toJson();
      if (sim != null) {
        // the ground truth of the offline check: what the simulated providers billed, against what the guard counted
        spend.put("simulator_billed_usd", sim.billedUsd()).put("simulator_requests", sim.chatRequests());
      }
      return new Report(o, tasks, modes, pairResults, run.complete, spend, guard.stopped() ? guard.stopReason() : null);
    } finally {
      for (Node node : nodes) {
        Futures.awaitClose(node.close(), 15, "proxy node");
      }
      if (http != null) {
        Futures.awaitClose(http.close(), 5, "harness HTTP client");
      }
      if (sim != null) {
        Futures.awaitClose(sim.stop(), 10, "simulator");
      }
      Futures.awaitClose(vertx.close(), 15, "harness Vert.x");
    }
  }

  /** An offline run must never reach a real provider: every upstream of the recipe has to be the simulator. */
  static void offlineOnly(BenchRecipe recipe, String simUrl) {
    List<String> elsewhere = new ArrayList<>();
    recipe.config().withUpstreams(u -> {
      if (u.baseUrl() == null || !u.baseUrl().startsWith(simUrl)) {
        elsewhere.add(u.baseUrl());
      }
      return u;
    });
    if (!elsewhere.isEmpty()) {
      throw new IllegalArgumentException("--offline runs only recipes whose upstreams are the simulator "
        + "(base_url: \"${BENCH_SIM_URL}\"); " + recipe.file().getFileName() + " points at " + elsewhere.get(0)
        + ". Drop --offline to run it live, or use bench/recipes/offline");
    }
  }

  /** The per-task pipeline and what it collects. */
  private static final class Run {
    final Options o;
    final List<Task> tasks;
    final List<BenchRecipe> recipes;
    final List<ProxyClient> clients;
    final ProxyClient grading;
    final List<String[]> pairs;
    final SpendGuard guard;
    final TaskResult[][] results;
    final PairwiseResult.TaskVerdicts[][] verdicts;
    final java.util.concurrent.atomic.AtomicLong[] judgeTokens;
    final java.util.concurrent.atomic.DoubleAdder[] judgeCosts;
    final boolean[] complete;
    final AtomicInteger done = new AtomicInteger();

    Run(Options o, List<Task> tasks, List<BenchRecipe> recipes, Map<BenchRecipe, ProxyClient> targets, ProxyClient grading,
        List<String[]> pairs, SpendGuard guard) {
      this.o = o;
      this.tasks = tasks;
      this.recipes = recipes;
      this.clients = recipes.stream().map(targets::get).toList();
      this.grading = grading;
      this.pairs = pairs;
      this.guard = guard;
      this.results = new TaskResult[recipes.size()][tasks.size()];
      this.verdicts = new PairwiseResult.TaskVerdicts[pairs.size()][tasks.size()];
      this.judgeTokens = new java.util.concurrent.atomic.AtomicLong[pairs.size()];
      this.judgeCosts = new java.util.concurrent.atomic.DoubleAdder[pairs.size()];
      for (int q = 0; q < pairs.size(); q++) {
        judgeTokens[q] = new java.util.concurrent.atomic.AtomicLong();
        judgeCosts[q] = new java.util.concurrent.atomic.DoubleAdder();
      }
      this.complete = new boolean[tasks.size()];
    }

    double judgeCost(int q) {
      return judgeCosts[q].sum();
    }

    int completeCount() {
      int c = 0;
      for (boolean b : complete) {
        c += b ? 1 : 0;
      }
      return c;
    }

    Future<Void> all(Vertx vertx) {
      int step = Math.max(1, tasks.size() / 10);
      return bounded(vertx, tasks.size(), o.concurrency(), i -> {
        if (guard.stopped()) {
          return Future.succeededFuture();
        }
        return task(i).onSuccess(v -> {
          int k = done.incrementAndGet();
          if (k % step == 0 && k < tasks.size()) {
            log(String.format("  %d/%d tasks, spent $%.6f", k, tasks.size(), guard.spent()));
          }
        });
      });
    }

    /** Every mode, its grading, then every pairwise comparison, for task i; a task stopped by the cap stays incomplete. */
    Future<Void> task(int i) {
      Future<Void> f = Future.succeededFuture();
      for (int m = 0; m < recipes.size(); m++) {
        int mode = m;
        f = f.compose(v -> answer(mode, tasks.get(i)).map(r -> {
          results[mode][i] = r;
          return null;
        }));
      }
      for (int q = 0; q < pairs.size(); q++) {
        int pair = q;
        f = f.compose(v -> judge(pair, i));
      }
      return f.map(v -> {
        complete[i] = true;
        return (Void) null;
      }).recover(err -> err instanceof SpendGuard.CapReached ? Future.succeededFuture() : Future.failedFuture(err));
    }

    Future<TaskResult> answer(int mode, Task task) {
      BenchRecipe recipe = recipes.get(mode);
      long t0 = System.nanoTime();
      return clients.get(mode).chat(recipe.mode(), request(o, recipe, task.prompt()))
        .transform(ar -> {
          double latency = (System.nanoTime() - t0) / 1e9;
          if (ar.failed()) {
            if (ar.cause() instanceof SpendGuard.CapReached) {
              return Future.failedFuture(ar.cause());
            }
            return Future.succeededFuture(new TaskResult(task.id(), false, task.isRubric() ? 0.0 : null, latency, 0, 0,
              null, String.valueOf(ar.cause().getMessage()), null, 0));
          }
          JsonObject body = ar.result();
          String answer = ProxyClient.content(body);
          JsonObject usage = body.getJsonObject("usage", new JsonObject());
          long tokens = usage.getLong("total_tokens", 0L);
          double cost = usage.getValue("cost") instanceof Number c ? c.doubleValue() : 0;
          return grade(task, answer).map(g -> new TaskResult(task.id(), g.correct, g.score, latency, tokens, cost, answer,
            null, g.error, g.cost));
        });
    }

    private record Grade(boolean correct, Double score, String error, double cost) {
    }

    Future<Grade> grade(Task task, String answer) {
      switch (task.scoring()) {
        case EXACT, CONTAINS, NUMERIC -> {
          return Future.succeededFuture(new Grade(Scoring.score(task.scoring(), answer, task.answer()), null, null, 0));
        }
        case NONE -> {
          return Future.succeededFuture(new Grade(false, null, null, 0));
        }
        case JUDGE -> {
          return grading.chat("grader", yesNoRequest(task, answer)).transform(ar -> {
            if (ar.failed()) {
              return gradeFailure(ar.cause());
            }
            boolean yes = ProxyClient.content(ar.result()).strip().toUpperCase().startsWith("YES");
            return Future.succeededFuture(new Grade(yes, null, null, costOf(ar.result())));
          });
        }
        case RUBRIC -> {
          return rubricRuns(task, answer, 0, new ArrayList<>(), 0);
        }
        default -> throw new IllegalStateException(task.scoring().toString());
      }
    }

    /** {@code --grade-runs} grader calls in a row; the score is their mean. */
    private Future<Grade> rubricRuns(Task task, String answer, int run, List<Double> scores, double cost) {
      if (run == o.gradeRuns()) {
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return Future.succeededFuture(new Grade(false, mean, null, cost));
      }
      // room for a verdict per criterion (and a reasoning model's thoughts), within what the proxy accepts
      JsonObject body = new JsonObject().put("model", o.graderModel()).put("stream", false).put("temperature", 0.0)
        .put("max_tokens", grading.passThroughCeiling(Rubric.GRADER_MAX_TOKENS)).put("messages", Rubric.messages(task, answer));
      return grading.chat("grader", body).transform(ar -> {
        if (ar.failed()) {
          return gradeFailure(ar.cause());
        }
        double c = cost + costOf(ar.result());
        try {
          boolean[] met = Rubric.parseMet(ProxyClient.content(ar.result()), task.rubric().size());
          scores.add(Rubric.score(task.rubric(), met));
        } catch (IllegalArgumentException e) {
          return Future.succeededFuture(new Grade(false, null, "grader: " + e.getMessage(), c));
        }
        return rubricRuns(task, answer, run + 1, scores, c);
      });
    }

    private static Future<Grade> gradeFailure(Throwable cause) {
      if (cause instanceof SpendGuard.CapReached) {
        return Future.failedFuture(cause);
      }
      return Future.succeededFuture(new Grade(false, null, "grader: " + cause.getMessage(), 0));
    }

    JsonObject yesNoRequest(Task task, String answer) {
      String user = "Question:\n" + task.prompt() + "\n\nCandidate answer:\n" + answer + "\n\nReference answer:\n"
        + task.answer() + "\n\nIs the candidate answer correct and consistent with the reference? Reply YES or NO.";
      return new JsonObject().put("model", o.graderModel()).put("stream", false).put("temperature", 0.0).put("max_tokens", 4)
        .put("messages", new JsonArray()
          .add(new JsonObject().put("role", "system").put("content", "You grade answers against a reference. Reply YES or NO."))
          .add(new JsonObject().put("role", "user").put("content", user)));
    }

    /** Both answers of pair q on task i, judged blind in each order. */
    Future<Void> judge(int q, int i) {
      int first = modeIndex(pairs.get(q)[0]);
      int second = modeIndex(pairs.get(q)[1]);
      TaskResult a = results[first][i];
      TaskResult b = results[second][i];
      Task task = tasks.get(i);
      if (a.error() != null || b.error() != null) {
        verdicts[q][i] = null; // an error on either side: not judged
        return Future.succeededFuture();
      }
      List<Boolean> orders = Pairwise.orders(task.id(), o.pairwiseOrders());
      List<Pairwise.Verdict> bySide = new ArrayList<>();
      List<Pairwise.Position> byPosition = new ArrayList<>();
      Future<Void> f = Future.succeededFuture();
      for (boolean firstIsA : orders) {
        f = f.compose(v -> {
          String user = Pairwise.userPrompt(task.prompt(), firstIsA ? a.answer() : b.answer(), firstIsA ? b.answer() : a.answer());
          JsonObject body = new JsonObject().put("model", o.pairwiseJudge()).put("stream", false).put("temperature", 0.0)
            .put("max_tokens", 16).put("messages", new JsonArray()
              .add(new JsonObject().put("role", "system").put("content", Pairwise.SYSTEM))
              .add(new JsonObject().put("role", "user").put("content", user)));
          return grading.chat("pairwise", body).transform(ar -> {
            if (ar.failed()) {
              if (ar.cause() instanceof SpendGuard.CapReached) {
                return Future.failedFuture(ar.cause());
              }
              byPosition.add(Pairwise.Position.UNPARSED);
              bySide.add(Pairwise.Verdict.UNPARSED);
              return Future.succeededFuture();
            }
            Pairwise.Position p = Pairwise.parse(ProxyClient.content(ar.result()));
            byPosition.add(p);
            bySide.add(Pairwise.toSides(p, firstIsA));
            JsonObject usage = ar.result().getJsonObject("usage", new JsonObject());
            judgeTokens[q].addAndGet(usage.getLong("total_tokens", 0L));
            judgeCosts[q].add(costOf(ar.result()));
            return Future.succeededFuture();
          });
        });
      }
      return f.map(v -> {
        verdicts[q][i] = new PairwiseResult.TaskVerdicts(List.copyOf(bySide), List.copyOf(byPosition));
        return null;
      });
    }

    int modeIndex(String mode) {
      for (int m = 0; m < recipes.size(); m++) {
        if (recipes.get(m).mode().equals(mode)) {
          return m;
        }
      }
      throw new IllegalStateException(mode);
    }
  }

  private static double costOf(JsonObject completion) {
    JsonObject usage = completion.getJsonObject("usage", new JsonObject());
    return usage.getValue("cost") instanceof Number c ? c.doubleValue() : 0;
  }

  private static List<String[]> pairs(List<String> specs, Map<String, BenchRecipe> byMode) {
    List<String[]> out = new ArrayList<>();
    for (String spec : specs) {
      if (spec.equals("none")) {
        continue;
      }
      if (spec.equals("auto")) {
        if (byMode.containsKey(BenchRecipe.SOLO)) {
          byMode.keySet().stream().filter(m -> !m.equals(BenchRecipe.SOLO)).forEach(m -> out.add(new String[] {m, BenchRecipe.SOLO}));
        }
        continue;
      }
      String[] p = spec.split(":");
      if (p.length != 2 || !byMode.containsKey(p[0]) || !byMode.containsKey(p[1]) || p[0].equals(p[1])) {
        throw new IllegalArgumentException("--pairwise " + spec + ": expected first:second with two modes that run "
          + byMode.keySet());
      }
      out.add(p);
    }
    return out;
  }

  static int members(OpenFusionConfig config) {
    if (config == null) {
      return 0;
    }
    return config.strategy() == Strategy.SELF_FUSION ? config.selfFusion().n() : config.panel().size();
  }

  private static String apiKey(Options o, BenchRecipe recipe) {
    if (o.apiKey() != null) {
      return o.apiKey();
    }
    return recipe.config() != null && !recipe.config().gatewayKeys().isEmpty() ? recipe.config().gatewayKeys().get(0) : "bench-key";
  }

  /** The proxy for this recipe: {@code --base-url}, or a node started in this JVM (closed by the caller). */
  private static ProxyClient target(Options o, BenchRecipe recipe, HttpClient http, SpendGuard guard, PriceBook prices,
                                    List<Node> nodes) {
    if (o.baseUrl() != null) {
      return new ProxyClient(http, o.baseUrl(), apiKey(o, recipe), guard, recipe.config(), prices);
    }
    QuietLogs.telemetry();
    OpenFusionConfig config = recipe.config().withServer(recipe.config().server().withHost("127.0.0.1").withPort(0));
    Node node = Node.start(new NodeOptions(config, Role.all(), null, 1, "bench-quality-" + NODES.incrementAndGet())).await();
    nodes.add(node);
    return new ProxyClient(http, "http://127.0.0.1:" + node.httpPort() + "/v1", apiKey(o, recipe), guard, recipe.config(),
      prices);
  }

  /** Runs {@code job(0..n-1)} with at most {@code concurrency} in flight; completes when all have. */
  static Future<Void> bounded(Vertx vertx, int n, int concurrency, Function<Integer, Future<Void>> job) {
    Promise<Void> done = Promise.promise();
    if (n == 0) {
      return Future.succeededFuture();
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      Future<Void> f;
      try {
        f = job.apply(i);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.failed()) {
          log("task " + i + " failed: " + ar.cause());
        }
        if (finished.incrementAndGet() == n) {
          done.tryComplete();
        } else {
          pump[0].run();
        }
      });
    };
    vertx.runOnContext(v -> {
      for (int k = 0; k < Math.min(n, Math.max(1, concurrency)); k++) {
        pump[0].run();
      }
    });
    return done.future();
  }

  /**
   * The request for one task in one mode. A mode that asks for a single model (solo) is a pass-through, where the
   * proxy adds no tools of its own; when the recipe turns web tools on, the same server-side tools the proxy gives
   * each panel member are put into the request, so solo-with-tools faces fusion-with-tools on equal terms.
   */
  static JsonObject request(Options o, BenchRecipe recipe, String prompt) {
    JsonArray messages = new JsonArray();
    if (o.system() != null && !o.system().isBlank()) {
      messages.add(new JsonObject().put("role", "system").put("content", o.system()));
    }
    messages.add(new JsonObject().put("role", "user").put("content", prompt));
    JsonObject body = new JsonObject().put("model", recipe.requestModel()).put("stream", false).put("temperature", 0.0)
      .put("max_tokens", o.maxTokens()).put("messages", messages);
    OpenFusionConfig config = recipe.config();
    if (config != null && !recipe.requestModel().equals(config.fusionModelName())) {
      UpstreamConfig upstream = config.passThroughResolved();
      if (upstream != null) {
        WebTools.inject(body, config.tools(), upstream.baseUrl());
      }
    }
    return body;
  }

  static void log(String line) {
    System.out.println("[quality " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
  }
}
