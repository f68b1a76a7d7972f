package io.openfusion.examples.embedded;

import io.openfusion.embedded.Caller;
import io.openfusion.embedded.OpenFusion;
import io.openfusion.embedded.RecipeResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.Map;

/**
 * A host application that embeds openfusion: its own routes ({@code GET /hello}, {@code GET /usage}), openfusion's API
 * under {@code /llm}, and two tenants, each with its own gateway key and its own recipe: "acme" gets a three-model
 * panel with a strong judge, "globex" a single cheap model with a small judge.
 *
 * <p>Run it against any OpenAI-compatible endpoint:
 * <pre>
 * UPSTREAM_BASE_URL=https://openrouter.ai/api/v1 UPSTREAM_API_KEY=sk-... ACME_KEY=acme-secret GLOBEX_KEY=globex-secret \
 *   java -cp ... io.openfusion.examples.embedded.HostApp
 * curl -s localhost:8080/llm/v1/chat/completions -H 'Authorization: Bearer acme-secret' \
 *   -H 'Content-Type: application/json' -d '{"model":"openfusion","messages":[{"role":"user","content":"Hi"}]}'
 * </pre>
 */
public final class HostApp {

  /** Where the upstream models live and the two tenants' keys. */
  public record Settings(String upstreamBaseUrl, String upstreamKey, String acmeKey, String globexKey, int port) {

    static Settings fromEnv() {
      return new Settings(env("UPSTREAM_BASE_URL", "https://openrouter.ai/api/v1"), env("UPSTREAM_API_KEY", ""),
        env("ACME_KEY", "acme-secret"), env("GLOBEX_KEY", "globex-secret"), Integer.parseInt(env("PORT", "8080")));
    }

    private static String env(String name, String fallback) {
      String value = System.getenv(name);
      return value == null || value.isBlank() ? fallback : value;
    }
  }

  /** The running host: its server, openfusion and the ledger the usage listener fills. */
  public record Running(HttpServer server, OpenFusion openfusion, TenantLedger ledger) {

    public Future<Void> close() {
      return server.close().transform(closed -> openfusion.close());
    }
  }

  private HostApp() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    start(vertx, Settings.fromEnv())
      .onSuccess(running -> System.out.println("host listening on http://127.0.0.1:" + running.server().actualPort()
        + " (openfusion under /llm)"))
      .onFailure(failure -> {
        System.err.println("could not start: " + failure.getMessage());
        vertx.close();
      });
  }

  /** Deploys openfusion into {@code vertx}, mounts it next to the host's routes and starts listening. */
  public static Future<Running> start(Vertx vertx, Settings settings) {
    Map<String, String> tenants = Map.of(
      Caller.idOfGatewayKey(settings.acmeKey()), "acme",
      Caller.idOfGatewayKey(settings.globexKey()), "globex");
    TenantLedger ledger = new TenantLedger(tenants);
    return OpenFusion.builder(vertx)
      .config(baseConfig(settings))
      .recipe("acme", recipe(settings, "openai/gpt-4o", "openai/gpt-4o-mini", "anthropic/claude-3.5-haiku",
        "google/gemini-2.0-flash-001"))
      .recipe("globex", recipe(settings, "openai/gpt-4o-mini", "meta-llama/llama-3.1-8b-instruct"))
      // a tenant's recipe is named after the tenant; the gateway keys already tell tenants apart
      .recipeResolver(RecipeResolver.byCallerId(tenants, null))
      .usageListener(ledger)
      .deploy()
      .compose(openfusion -> {
        Router router = Router.router(vertx);
        router.get("/hello").handler(ctx -> ctx.end("hello from the host application"));
        router.get("/usage").handler(ctx -> ctx.json(ledger.snapshot()));
        openfusion.mount(router, "/llm");
        // HTTP/1.1 only: an HTTP/2 upgrade request is read whole before openfusion's admission can hold its body back
        return vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(router)
          .listen(settings.port(), "127.0.0.1")
          .map(server -> new Running(server, openfusion, ledger));
      });
  }

  /** Node settings: only the two tenants' keys get in. The base recipe serves nobody here, but a config needs one. */
  private static JsonObject baseConfig(Settings settings) {
    return recipe(settings, "openai/gpt-4o-mini", "openai/gpt-4o-mini")
      .put("gateway", new JsonObject().put("api_keys", new JsonArray().add(settings.acmeKey()).add(settings.globexKey())))
      .put("pass_through", upstream(settings, "openai/gpt-4o-mini"));
  }

  /** A panel recipe: {@code judge} synthesizes the answers of {@code members}. */
  private static JsonObject recipe(Settings settings, String judge, String... members) {
    JsonArray panel = new JsonArray();
    for (String member : members) {
      panel.add(upstream(settings, member));
    }
    return new JsonObject().put("strategy", "panel").put("panel", panel).put("judge", upstream(settings, judge));
  }

  private static JsonObject upstream(Settings settings, String model) {
    return new JsonObject().put("base_url", settings.upstreamBaseUrl()).put("api_key", settings.upstreamKey())
      .put("model", model);
  }
}
