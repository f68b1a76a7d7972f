package io.openfusion.bench.smoke;

import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.Futures;
import io.openfusion.bench.common.QuietLogs;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.quality.BenchRecipe;
import io.openfusion.bench.quality.PriceBook;
import io.openfusion.bench.quality.ProxyClient;
import io.openfusion.bench.quality.Scoring;
import io.openfusion.bench.quality.SpendGuard;
import io.openfusion.bench.quality.Task;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bench smoke}: a short live run against real providers, to check a recipe and a key end to end before a paid
 * benchmark. It starts the proxy in-process with {@code bench/recipes/smoke/openrouter.yaml} (or {@code --recipe},
 * or uses {@code --base-url}), then checks {@code /healthz}, one pass-through answer and one streamed fusion with
 * usage, each asked to echo a token. It refuses to run, before any connection is made, unless
 * {@code --yes-spend-credits} is given, and every request goes through the spending cap ({@code --max-usd}, default
 * {@value #DEFAULT_MAX_USD} USD).
 *
 * <p>Why that default: with the shipped recipe (gpt-4o-mini and Gemini 2.0 Flash, 64-token ceilings) a smoke run costs
 * about a hundredth of a cent, so the cap never binds on a healthy run; it exists for the misconfigured one (an
 * expensive model or a large token ceiling in {@code --recipe}), which it stops before it has spent five cents.
 *
 * <p>Exit codes: 0 every check passed; 1 a check failed; 2 refused (no {@code --yes-spend-credits}) or bad arguments;
 * 4 stopped at the spending cap.
 */
public final class SmokeBench {

  public static final double DEFAULT_MAX_USD = 0.05;
  public static final String PASS_TOKEN = "openfusion-smoke-passthrough";
  public static final String FUSION_TOKEN = "openfusion-smoke-fusion";
  static final String REFUSAL = "smoke: refusing to run: it calls real providers and spends credits (about $0.0001 with "
    + "the default recipe, never more than --max-usd, default $" + DEFAULT_MAX_USD + "). Re-run with --yes-spend-credits. "
    + "Nothing was sent.";

  static final Set<String> OPTIONS = Set.of("yes-spend-credits", "recipe", "base-url", "api-key", "max-usd", "max-tokens",
    "price-per-mtok", "help");

  /** One check's outcome. */
  record Check(String name, boolean ok, String detail, double seconds, long tokens, double cost) {
  }

  private SmokeBench() {
  }

  public static void main(String[] argv) throws Exception {
    System.exit(execute(argv));
  }

  public static int execute(String[] argv) throws Exception {
    return execute(argv, System.getenv(), System.out, System.err);
  }

  /** The prompts the smoke run sends, with the token each answer must contain. */
  public static List<Task> checks() {
    return List.of(
      new Task("smoke-passthrough", "Reply with exactly this text and nothing else: " + PASS_TOKEN, PASS_TOKEN,
        Scoring.Method.CONTAINS),
      new Task("smoke-fusion", "Reply with exactly this text and nothing else: " + FUSION_TOKEN, FUSION_TOKEN,
        Scoring.Method.CONTAINS));
  }

  static String usage() {
    return """
      smoke: a short live check against real providers (healthz, one pass-through answer, one streamed fusion)
        --yes-spend-credits                required: without it nothing is sent (exit 2)
        --recipe FILE                      default bench/recipes/smoke/openrouter.yaml (needs OPENROUTER_API_KEY)
        --base-url URL --api-key KEY       check a running proxy instead of starting one
        --max-usd 0.05                     stop before the spend would pass this
        --price-per-mtok IN,OUT            price for responses that report no usage.cost
        --max-tokens 24
      exit: 0 all passed, 1 a check failed, 2 refused or bad arguments, 4 stopped at the spending cap""";
  }

  static int execute(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      out.println(usage());
      return 0;
    }
    try {
      args.checkKnown(OPTIONS);
    } catch (IllegalArgumentException e) {
      err.println("smoke: " + e.getMessage());
      return 2;
    }
    // the refusal comes before anything else: no config is read, no client created, no socket opened
    if (!args.flag("yes-spend-credits")) {
      err.println(REFUSAL);
      return 2;
    }
    double cap;
    double[] price;
    int maxTokens;
    Path recipeFile = RepoPaths.resolve(args.string("recipe", "bench/recipes/smoke/openrouter.yaml"));
    try {
      cap = args.has("max-usd") ? Double.parseDouble(args.string("max-usd", "")) : DEFAULT_MAX_USD;
      if (!(cap >= 0) || Double.isInfinite(cap)) {
        throw new IllegalArgumentException("--max-usd must be a dollar amount >= 0");
      }
      price = parsePrice(args.string("price-per-mtok", null));
      maxTokens = args.integer("max-tokens", 24);
      if (!Files.isRegularFile(recipeFile)) {
        throw new IllegalArgumentException("no recipe file " + recipeFile);
      }
    } catch (NumberFormatException e) {
      err.println("smoke: not a number: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("smoke: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    Node node = null;
    HttpClient http = null;
    try {
      BenchRecipe recipe;
      try {
        recipe = BenchRecipe.load(vertx, recipeFile, new HashMap<>(env));
      } catch (Exception e) {
        err.println("smoke: cannot load " + recipeFile + ": " + e.getMessage());
        return 2;
      }
      OpenFusionConfig config = recipe.config();
      UpstreamConfig passThrough = config.passThroughResolved();
      if (passThrough == null) {
        err.println("smoke: " + recipeFile + " has no pass-through model (pass_through or a panel member)");
        return 2;
      }
      String baseUrl = args.string("base-url", null);
      if (baseUrl == null) {
        QuietLogs.telemetry();
        OpenFusionConfig local = config.withServer(config.server().withHost("127.0.0.1").withPort(0));
        node = Node.start(new NodeOptions(local, Role.all(), null, 1, "bench-smoke")).await();
        baseUrl = "http://127.0.0.1:" + node.httpPort() + "/v1";
      }
      String key = args.string("api-key", config.gatewayKeys().isEmpty() ? "bench-key" : config.gatewayKeys().get(0));
      SpendGuard guard = new SpendGuard(cap, price);
      http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
      ProxyClient client = new ProxyClient(http, baseUrl, key, guard, config, new PriceBook(WebClient.wrap(http)));
      out.printf("[smoke] %s against %s (pass-through %s, fusion %s), cap $%.4f%n", recipeFile.getFileName(), baseUrl,
        passThrough.model(), config.fusionModelName(), cap);
      List<Check> results = new ArrayList<>();
      results.add(health(http, baseUrl));
      boolean capped = false;
      try {
        results.add(passThrough(client, passThrough.model(), maxTokens));
        results.add(fusion(client, config.fusionModelName(), maxTokens));
      } catch (java.util.concurrent.CompletionException | SpendGuard.CapReached e) {
        Throwable cause = e instanceof SpendGuard.CapReached ? e : e.getCause();
        if (!(cause instanceof SpendGuard.CapReached)) {
          throw e;
        }
        capped = true;
      }
      print(out, results, guard);
      if (capped || guard.stopped()) {
        err.printf("smoke: stopped before the spending cap: spent $%.6f of $%.4f over %d requests; %d of 3 checks ran (%s)%n",
          guard.spent(), cap, guard.requests(), results.size(), guard.stopReason());
        return 4;
      }
      boolean ok = results.stream().allMatch(Check::ok);
      out.println(ok ? "[smoke] all checks passed" : "[smoke] FAILED: " + results.stream().filter(c -> !c.ok())
        .map(c -> c.name() + " (" + c.detail() + ")").toList());
      return ok ? 0 : 1;
    } finally {
      if (http != null) {
        Futures.awaitClose(http.close(), 5, "smoke HTTP client");
      }
      if (node != null) {
        Futures.awaitClose(node.close(), 15, "proxy node");
      }
      Futures.awaitClose(vertx.close(), 15, "smoke Vert.x");
    }
  }

  private static double[] parsePrice(String value) {
    if (value == null) {
      return null;
    }
    String[] parts = value.split(",");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--price-per-mtok takes PROMPT,COMPLETION in USD per million tokens");
    }
    return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
  }

  private static Check health(HttpClient http, String baseUrl) {
    String root = baseUrl.replaceAll("/v1/?$", "");
    long t0 = System.nanoTime();
    try {
      int status = http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(root + "/healthz")
          .setIdleTimeout(10_000))
        .compose(req -> req.send().map(resp -> resp.statusCode()))
        .await();
      return new Check("healthz", status == 200, "HTTP " + status, secs(t0), 0, 0);
    } catch (RuntimeException e) {
      return new Check("healthz", false, String.valueOf(e.getMessage()), secs(t0), 0, 0);
    }
  }

  private static JsonArray user(String text) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", text));
  }

  private static Check passThrough(ProxyClient client, String model, int maxTokens) {
    Task task = checks().get(0);
    JsonObject body = new JsonObject().put("model", model).put("stream", false).put("temperature", 0.0)
      .put("max_tokens", maxTokens).put("messages", user(task.prompt()));
    long t0 = System.nanoTime();
    JsonObject resp;
    try {
      resp = client.chat("smoke-passthrough", body).await();
    } catch (SpendGuard.CapReached e) {
      throw e;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SpendGuard.CapReached cap) {
        throw cap;
      }
      return new Check("pass-through " + model, false, String.valueOf(e.getMessage()), secs(t0), 0, 0);
    }
    String text = ProxyClient.content(resp);
    JsonObject usage = resp.getJsonObject("usage", new JsonObject());
    boolean ok = Scoring.score(Scoring.Method.CONTAINS, text, task.answer());
    return new Check("pass-through " + model, ok, ok ? "echoed the token" : "answer was: " + clip(text), secs(t0),
      usage.getLong("total_tokens", 0L), usage.getValue("cost") instanceof Number c ? c.doubleValue() : 0);
  }

  private static Check fusion(ProxyClient client, String model, int maxTokens) {
    Task task = checks().get(1);
    JsonObject body = new JsonObject().put("model", model).put("stream", true).put("temperature", 0.0)
      .put("max_tokens", maxTokens).put("stream_options", new JsonObject().put("include_usage", true))
      .put("messages", user(task.prompt()));
    long t0 = System.nanoTime();
    ProxyClient.Streamed s;
    try {
      s = client.stream("smoke-fusion", body, Map.of("X-OpenFusion-Events", "on")).await();
    } catch (SpendGuard.CapReached e) {
      throw e;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SpendGuard.CapReached cap) {
        throw cap;
      }
      return new Check("fusion (streamed)", false, String.valueOf(e.getMessage()), secs(t0), 0, 0);
    }
    List<String> problems = new ArrayList<>();
    if (s.error() != null) {
      problems.add("error chunk: " + s.error().getString("message"));
    }
    if (!Scoring.score(Scoring.Method.CONTAINS, s.content(), task.answer())) {
      problems.add("answer was: " + clip(s.content()));
    }
    if (!s.done()) {
      problems.add("no [DONE]");
    }
    if (s.usage() == null) {
      problems.add("no usage chunk");
    }
    long progress = s.namedEvents().stream().filter("progress"::equals).count();
    String detail = problems.isEmpty()
      ? String.format("echoed the token; %d chunks, %d progress events%s", s.chunks(), progress,
        s.usage() != null && s.usage().getValue("cost") == null ? ", usage without cost" : "")
      : String.join("; ", problems);
    JsonObject usage = s.usage() == null ? new JsonObject() : s.usage();
    return new Check("fusion (streamed)", problems.isEmpty(), detail, secs(t0), usage.getLong("total_tokens", 0L),
      usage.getValue("cost") instanceof Number c ? c.doubleValue() : 0);
  }

  private static void print(PrintStream out, List<Check> results, SpendGuard guard) {
    out.println();
    out.println("| check | ok | seconds | tokens | cost (USD) | detail |");
    out.println("|---|---|---:|---:|---:|---|");
    for (Check c : results) {
      out.printf("| %s | %s | %.2f | %d | %.6f | %s |%n", c.name(), c.ok() ? "yes" : "NO", c.seconds(), c.tokens(), c.cost(),
        c.detail().replace('|', '/'));
    }
    out.printf("%nSpent $%.6f over %d requests (cap $%.4f)%s.%n", guard.spent(), guard.requests(), guard.cap(),
      guard.unpriced() > 0 ? ", " + guard.unpriced() + " responses without a price" : "");
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String clip(String s) {
    String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    return t.length() > 120 ? t.substring(0, 120) + "..." : t;
  }
}
