package io.openfusion.bench.quality;

import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.Futures;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

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
 * The quality harness: runs every task through every mode (a recipe file each: solo, self-fusion, panel + judge,
 * vote, ranked, debate), non-streamed at temperature 0, through the proxy (started in-process per recipe, or at
 * {@code --base-url}). It reports accuracy with a Wilson 95 % interval, latency p50/p90, tokens, cost and cost per
 * correct answer per mode, and blind pairwise win rates. {@code --offline} runs the same pipeline against simulated
 * members of known accuracy and compares every mode with theory.
 */
public final class QualityBench {

  static final Set<String> OPTIONS = Set.of("offline", "tasks", "limit", "recipes", "recipe-dir", "modes", "p", "seed",
    "wrong", "concurrency", "max-tokens", "base-url", "api-key", "pairwise", "judge-model", "judge-recipe",
    "grader-model", "output", "system", "help");

  /** Everything one run needs. */
  public record Options(String tasks, int limit, boolean offline, double p, long seed, SimUpstream.Wrong wrong,
                        List<Path> recipes, int concurrency, int maxTokens, String baseUrl, String apiKey,
                        List<String> pairwise, String judgeModel, Path judgeRecipe, String graderModel, String system) {

    /** The offline check with the shipped recipes. */
    public static Options offline(String tasks, double p, long seed, SimUpstream.Wrong wrong, List<String> modes,
                                  int concurrency, List<String> pairwise) {
      Path dir = RepoPaths.resolve("bench/recipes/offline");
      List<Path> recipes = modes.stream().map(m -> dir.resolve(m + ".yaml")).toList();
      return new Options(tasks, 0, true, p, seed, wrong, recipes, concurrency, 64, null, null, pairwise,
        SimUpstream.PAIRWISE, null, SimUpstream.GRADER, null);
    }
  }

  /** One answer to one task in one mode. */
  public record TaskResult(String taskId, boolean correct, double latencySeconds, long totalTokens, double cost,
                           String answer, String error) {

    JsonObject toJson() {
      return new JsonObject().put("id", taskId).put("correct", correct).put("latency_s", latencySeconds)
        .put("total_tokens", totalTokens).put("cost_usd", cost).put("answer", answer).put("error", error);
    }
  }

  /** All answers of one mode. */
  public record ModeResult(BenchRecipe recipe, int members, List<TaskResult> results) {
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final AtomicInteger NODES = new AtomicInteger();

  private QualityBench() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      System.out.println(usage());
      return;
    }
    args.checkKnown(OPTIONS);
    boolean offline = args.flag("offline");
    List<Path> recipes;
    if (args.has("recipes")) {
      recipes = args.strings("recipes", List.of()).stream().map(RepoPaths::resolve).toList();
    } else {
      Path dir = RepoPaths.resolve(args.string("recipe-dir", offline ? "bench/recipes/offline" : "bench/recipes/openrouter"));
      List<String> modes = args.strings("modes", List.of());
      recipes = modes.isEmpty() ? allRecipes(dir) : modes.stream().map(m -> dir.resolve(m + ".yaml")).toList();
    }
    List<String> pairwise = args.strings("pairwise", offline ? List.of("auto") : List.of());
    Options options = new Options(
      args.string("tasks", offline ? "synthetic:400" : RepoPaths.resolve("bench/tasks/sample.jsonl").toString()),
      args.integer("limit", 0), offline, args.number("p", 0.7), args.longValue("seed", 42),
      SimUpstream.Wrong.valueOf(args.string("wrong", "shared").toUpperCase()), recipes,
      args.integer("concurrency", offline ? 16 : 4), args.integer("max-tokens", 64), args.string("base-url", null),
      args.string("api-key", null), pairwise, args.string("judge-model", offline ? SimUpstream.PAIRWISE : null),
      args.has("judge-recipe") ? RepoPaths.resolve(args.string("judge-recipe", "")) : null,
      args.string("grader-model", offline ? SimUpstream.GRADER : null), args.string("system", null));
    Report report = run(options);
    String md = report.markdown();
    Path output = RepoPaths.resolve(args.string("output", "bench/results/quality-" + LocalDateTime.now().format(STAMP) + ".json"));
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, report.json().encodePrettily());
    Files.writeString(Path.of(output.toString().replaceFirst("\\.json$", "") + ".md"), md);
    System.out.println(md);
    System.out.println("wrote " + output);
  }

  static String usage() {
    return """
      quality: accuracy, latency, tokens and cost per mode, through the proxy
        --tasks FILE.jsonl | synthetic:N   (default bench/tasks/sample.jsonl; offline: synthetic:400)
        --limit N                          first N tasks
        --recipe-dir DIR --modes a,b       recipes DIR/<mode>.yaml (default: every recipe in
                                           bench/recipes/openrouter, or bench/recipes/offline with --offline)
        --recipes f1.yaml,f2.yaml          explicit recipe files
        --base-url URL                     use a running proxy instead of starting one per recipe
        --api-key KEY                      gateway key (default: the recipe's first gateway key, else bench-key)
        --concurrency N --max-tokens 64 --system TEXT
        --pairwise fusion:solo,...|auto    blind pairwise judging of two modes' answers (auto: every mode vs solo)
        --judge-model M --judge-recipe F   pairwise judge (sent through the recipe's pass-through)
        --grader-model M                   for tasks with scoring "judge"
        --offline --p 0.7 --seed 42 --wrong shared|distinct   simulated members, checked against theory
        --output FILE.json                 also writes FILE.md (default bench/results/quality-<timestamp>.json)""";
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

  /** Runs every mode, then the pairwise comparisons; blocking, call it from a plain thread. */
  public static Report run(Options o) throws Exception {
    Vertx vertx = Vertx.vertx();
    SimUpstream sim = null;
    try {
      List<Task> tasks = TaskLoader.load(o.tasks().startsWith("synthetic:") ? o.tasks() : RepoPaths.resolve(o.tasks()).toString(),
        o.limit());
      Map<String, String> env = new HashMap<>(System.getenv());
      if (o.offline()) {
        sim = SimUpstream.start(vertx, tasks, o.p(), o.seed(), o.wrong()).await();
        env.put("BENCH_SIM_URL", sim.baseUrl());
      }
      WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(Math.max(4, o.concurrency())));
      List<ModeResult> modes = new ArrayList<>();
      Map<String, BenchRecipe> byMode = new LinkedHashMap<>();
      for (Path file : o.recipes()) {
        BenchRecipe recipe = BenchRecipe.load(vertx, file, env);
        byMode.put(recipe.mode(), recipe);
        log("mode " + recipe.mode() + " (" + file.getFileName() + ", model " + recipe.requestModel() + "): "
          + tasks.size() + " tasks");
        long t0 = System.nanoTime();
        List<TaskResult> results = withTarget(o, recipe, url -> runTasks(vertx, client, url, apiKey(o, recipe), o, recipe, tasks));
        ModeResult mr = new ModeResult(recipe, members(recipe.config()), results);
        modes.add(mr);
        long ok = results.stream().filter(TaskResult::correct).count();
        log(String.format("  %d/%d correct, %d errors, %.1f s", ok, results.size(),
          results.stream().filter(r -> r.error() != null).count(), (System.nanoTime() - t0) / 1e9));
      }
      List<PairwiseResult> pairs = new ArrayList<>();
      for (String[] pair : pairs(o.pairwise(), byMode)) {
        ModeResult first = find(modes, pair[0]);
        ModeResult second = find(modes, pair[1]);
        BenchRecipe judgeRecipe = o.judgeRecipe() != null ? BenchRecipe.load(vertx, o.judgeRecipe(), env)
          : byMode.getOrDefault(BenchRecipe.SOLO, modes.get(0).recipe());
        String judgeModel = o.judgeModel();
        if (judgeModel == null) {
          throw new IllegalArgumentException("--pairwise needs --judge-model");
        }
        log("pairwise " + pair[0] + " vs " + pair[1] + " judged by " + judgeModel);
        PairwiseResult pr = withTarget(o, judgeRecipe, url -> judgePairs(vertx, client, url, apiKey(o, judgeRecipe), o, judgeModel,
          tasks, first, second));
        pairs.add(pr);
      }
      client.close();
      return new Report(o, tasks, modes, pairs);
    } finally {
      if (sim != null) {
        Futures.awaitClose(sim.stop(), 10, "simulator");
      }
      Futures.awaitClose(vertx.close(), 15, "harness Vert.x");
    }
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
      if (p.length != 2 || !byMode.containsKey(p[0]) || !byMode.containsKey(p[1])) {
        throw new IllegalArgumentException("--pairwise " + spec + ": expected first:second with two modes that ran "
          + byMode.keySet());
      }
      out.add(p);
    }
    return out;
  }

  private static ModeResult find(List<ModeResult> modes, String mode) {
    return modes.stream().filter(m -> m.recipe().mode().equals(mode)).findFirst().orElseThrow();
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

  /** Runs {@code work} against the proxy for this recipe: {@code --base-url}, or a node started in this JVM. */
  private static <T> T withTarget(Options o, BenchRecipe recipe, Function<String, Future<T>> work) {
    if (o.baseUrl() != null) {
      return work.apply(o.baseUrl().replaceAll("/+$", "")).await();
    }
    OpenFusionConfig config = recipe.config().withServer(recipe.config().server().withHost("127.0.0.1").withPort(0));
    Node node = Node.start(new NodeOptions(config, Role.all(), null, 1, "bench-quality-" + NODES.incrementAndGet())).await();
    try {
      return work.apply("http://127.0.0.1:" + node.httpPort() + "/v1").await();
    } finally {
      Futures.awaitClose(node.close(), 15, "proxy node");
    }
  }

  private static Future<List<TaskResult>> runTasks(Vertx vertx, WebClient client, String baseUrl, String key, Options o,
                                                   BenchRecipe recipe, List<Task> tasks) {
    TaskResult[] results = new TaskResult[tasks.size()];
    return bounded(vertx, tasks.size(), o.concurrency(), i -> {
      Task task = tasks.get(i);
      long t0 = System.nanoTime();
      return chat(client, baseUrl, key, request(o, recipe.requestModel(), task.prompt(), o.system()))
        .compose(body -> {
          double latency = (System.nanoTime() - t0) / 1e9;
          String answer = content(body);
          JsonObject usage = body.getJsonObject("usage", new JsonObject());
          long tokens = usage.getLong("total_tokens", 0L);
          double cost = usage.getDouble("cost", 0d);
          if (task.scoring() != Scoring.Method.JUDGE) {
            return Future.succeededFuture(new TaskResult(task.id(), Scoring.score(task.scoring(), answer, task.answer()),
              latency, tokens, cost, answer, null));
          }
          return grade(client, baseUrl, key, o, task, answer)
            .map(ok -> new TaskResult(task.id(), ok, latency, tokens, cost, answer, null));
        })
        .recover(err -> Future.succeededFuture(new TaskResult(task.id(), false, (System.nanoTime() - t0) / 1e9, 0, 0, null,
          err.getMessage())))
        .onSuccess(r -> results[i] = r)
        .mapEmpty();
    }).map(v -> List.of(results));
  }

  private static Future<Boolean> grade(WebClient client, String baseUrl, String key, Options o, Task task, String answer) {
    if (o.graderModel() == null) {
      return Future.failedFuture(new IllegalArgumentException("task " + task.id() + " has scoring judge: pass --grader-model"));
    }
    String user = "Question:\n" + task.prompt() + "\n\nCandidate answer:\n" + answer + "\n\nReference answer:\n" + task.answer()
      + "\n\nIs the candidate answer correct and consistent with the reference? Reply YES or NO.";
    JsonObject body = new JsonObject().put("model", o.graderModel()).put("temperature", 0.0).put("max_tokens", 4)
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "You grade answers against a reference. Reply YES or NO."))
        .add(new JsonObject().put("role", "user").put("content", user)));
    return chat(client, baseUrl, key, body).map(b -> content(b).strip().toUpperCase().startsWith("YES"));
  }

  private static Future<PairwiseResult> judgePairs(Vertx vertx, WebClient client, String baseUrl, String key, Options o,
                                                   String judgeModel, List<Task> tasks, ModeResult first, ModeResult second) {
    Pairwise.Verdict[] verdicts = new Pairwise.Verdict[tasks.size()];
    long[] tokens = new long[tasks.size()];
    double[] cost = new double[tasks.size()];
    int[] firstAsA = new int[1];
    return bounded(vertx, tasks.size(), o.concurrency(), i -> {
      TaskResult a = first.results().get(i);
      TaskResult b = second.results().get(i);
      if (a.error() != null || b.error() != null) {
        verdicts[i] = null; // an error on either side: not judged
        return Future.succeededFuture();
      }
      boolean firstIsA = Pairwise.firstIsA(tasks.get(i).id());
      if (firstIsA) {
        firstAsA[0]++;
      }
      String user = Pairwise.userPrompt(tasks.get(i).prompt(), firstIsA ? a.answer() : b.answer(), firstIsA ? b.answer() : a.answer());
      JsonObject body = new JsonObject().put("model", judgeModel).put("temperature", 0.2).put("max_tokens", 16)
        .put("messages", new JsonArray()
          .add(new JsonObject().put("role", "system").put("content", Pairwise.SYSTEM))
          .add(new JsonObject().put("role", "user").put("content", user)));
      return chat(client, baseUrl, key, body)
        .onSuccess(resp -> {
          verdicts[i] = Pairwise.toSides(Pairwise.parse(content(resp)), firstIsA);
          JsonObject usage = resp.getJsonObject("usage", new JsonObject());
          tokens[i] = usage.getLong("total_tokens", 0L);
          cost[i] = usage.getDouble("cost", 0d);
        })
        .otherwise(err -> {
          verdicts[i] = Pairwise.Verdict.UNPARSED;
          return null;
        })
        .mapEmpty();
    }).map(v -> PairwiseResult.of(first.recipe().mode(), second.recipe().mode(), judgeModel, verdicts, firstAsA[0],
      java.util.Arrays.stream(tokens).sum(), java.util.Arrays.stream(cost).sum()));
  }

  /** Runs {@code job(0..n-1)} with at most {@code concurrency} in flight; completes when all have. */
  private static Future<Void> bounded(Vertx vertx, int n, int concurrency, Function<Integer, Future<Void>> job) {
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

  static JsonObject request(Options o, String model, String prompt, String system) {
    JsonArray messages = new JsonArray();
    if (system != null && !system.isBlank()) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    messages.add(new JsonObject().put("role", "user").put("content", prompt));
    return new JsonObject().put("model", model).put("stream", false).put("temperature", 0.0)
      .put("max_tokens", o.maxTokens()).put("messages", messages);
  }

  private static Future<JsonObject> chat(WebClient client, String baseUrl, String key, JsonObject body) {
    return client.postAbs(baseUrl + "/chat/completions")
      .bearerTokenAuthentication(key)
      .timeout(360_000)
      .sendJsonObject(body)
      .compose(resp -> {
        if (resp.statusCode() != 200) {
          String text = resp.bodyAsString();
          return Future.failedFuture(new IllegalStateException("HTTP " + resp.statusCode() + ": "
            + (text == null ? "" : text.length() > 300 ? text.substring(0, 300) : text)));
        }
        return Future.succeededFuture(resp.bodyAsJsonObject());
      });
  }

  static String content(JsonObject completion) {
    JsonArray choices = completion.getJsonArray("choices", new JsonArray());
    if (choices.isEmpty()) {
      return "";
    }
    JsonObject message = choices.getJsonObject(0).getJsonObject("message", new JsonObject());
    Object c = message.getValue("content");
    return c == null ? "" : c.toString();
  }

  static void log(String line) {
    System.out.println("[quality " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
  }

  static String machine() {
    return Proc.machine();
  }
}
