package io.openfusion.shared.demo;

import io.openfusion.shared.demo.impl.DemoServerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A <b>simulated</b> OpenAI-compatible provider on loopback, used by {@code serve --demo}, tests and
 * benchmarks. It is a real HTTP server so the proxy's normal upstream client is exercised end to end;
 * every answer is canned text that says it is simulated.
 *
 * <p>Per-request knobs (headers, only honoured when present): {@value #HEADER_FIRST_TOKEN_MS},
 * {@value #HEADER_INTER_TOKEN_MS}, {@value #HEADER_LATENCY_MS}, {@value #HEADER_FAIL_STATUS},
 * {@value #HEADER_TOKENS}. Fault models: {@value #FAIL_MODEL} and {@value #SLOW_MODEL}.
 */
public final class DemoProvider {

  public static final List<String> PANEL_MODELS = List.of("demo/atlas", "demo/birch", "demo/cedar");
  public static final String JUDGE_MODEL = "demo/judge";
  public static final String PASS_THROUGH_MODEL = "demo/atlas";
  /** Always answers HTTP 500 with an OpenAI error body. */
  public static final String FAIL_MODEL = "demo/fail-500";
  /** Waits {@link #SLOW_DELAY_MS} before answering; gives up as soon as the client disconnects. */
  public static final String SLOW_MODEL = "demo/slow";
  /** Every model id with this prefix is served. */
  public static final String MODEL_PREFIX = "demo/";
  public static final long SLOW_DELAY_MS = 30_000;
  /** Every response carries this header so nobody mistakes demo output for a real model. */
  public static final String SIMULATED_HEADER = "x-openfusion-demo";
  /** Sent by the proxy and ignored here; any non-empty value works. */
  public static final String DEMO_API_KEY = "demo-no-key-needed";

  public static final String HEADER_FIRST_TOKEN_MS = "x-demo-first-token-ms";
  public static final String HEADER_INTER_TOKEN_MS = "x-demo-inter-token-ms";
  public static final String HEADER_LATENCY_MS = "x-demo-latency-ms";
  public static final String HEADER_FAIL_STATUS = "x-demo-fail-status";
  public static final String HEADER_TOKENS = "x-demo-tokens";

  private final Vertx vertx;
  private final DemoOptions options;
  private final DemoServerVerticle verticle;
  private final String deploymentId;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private DemoProvider(Vertx vertx, DemoOptions options, DemoServerVerticle verticle, String deploymentId) {
    this.vertx = vertx;
    this.options = options;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
  }

  /** Deploys the simulated server and completes once it is listening. */
  public static Future<DemoProvider> start(Vertx vertx, DemoOptions options) {
    DemoOptions opts = options == null ? DemoOptions.interactive() : options;
    DemoServerVerticle verticle = new DemoServerVerticle(opts);
    return vertx.deployVerticle(verticle)
      .map(id -> new DemoProvider(vertx, opts, verticle, id));
  }

  /** {@code http://<host>:<port>/v1}, the value to put in a recipe's {@code base_url}. */
  public String baseUrl() {
    return "http://" + hostForUrl(options.host()) + ":" + port() + "/v1";
  }

  public int port() {
    return verticle.actualPort();
  }

  public DemoOptions options() {
    return options;
  }

  /** Chat requests currently being answered (delayed or streaming). */
  public int inFlight() {
    return verticle.counters().inFlight();
  }

  /** Chat requests answered so far, including simulated failures. */
  public long requests() {
    return verticle.counters().requests();
  }

  /** Chat requests abandoned because the client went away before the answer was complete. */
  public long cancelled() {
    return verticle.counters().cancelled();
  }

  /**
   * A recipe in the config-file shape (panel / judge / pass_through with base_url, api_key, model)
   * pointing at this provider. The key is a placeholder because the provider ignores it, and it has
   * to be non-empty so the proxy does not ask the user for one. Web tools are off: demo mode must
   * not touch the network.
   */
  public JsonObject recipe() {
    JsonArray panel = new JsonArray();
    PANEL_MODELS.forEach(m -> panel.add(upstream(m).put("label", m)));
    return new JsonObject()
      .put("strategy", "panel")
      .put("aggregator", "judge")
      .put("panel", panel)
      .put("judge", upstream(JUDGE_MODEL))
      .put("pass_through", upstream(PASS_THROUGH_MODEL))
      .put("tools", new JsonObject().put("web_search", false).put("web_fetch", false));
  }

  private JsonObject upstream(String model) {
    return new JsonObject().put("base_url", baseUrl()).put("api_key", DEMO_API_KEY).put("model", model);
  }

  /** Undeploys the server; calling it twice is harmless. */
  public Future<Void> stop() {
    if (!stopped.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deploymentId);
  }

  private static String hostForUrl(String host) {
    // Binding to the wildcard address still has to produce a URL a client can dial.
    if ("0.0.0.0".equals(host)) {
      return "127.0.0.1";
    }
    if ("::".equals(host) || "[::]".equals(host)) {
      return "[::1]";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
