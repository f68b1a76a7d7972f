package io.openfusion.embedded;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A host application for the tests: its own Vert.x, its own {@code /hello} route, openfusion mounted under
 * {@code /llm}, two tenants (gateway keys) on two recipes, and every usage record collected.
 */
final class EmbeddedHost {

  static final String KEY_ALPHA = "tenant-alpha-key";
  static final String KEY_BETA = "tenant-beta-key";
  /** A key of the config whose caller the resolver knows nothing about: it runs the base recipe. */
  static final String KEY_BASE = "tenant-base-key";
  /** A key the resolver fails for. */
  static final String KEY_UNRESOLVABLE = "tenant-broken-key";

  final Vertx vertx = Vertx.vertx();
  final List<UsageRecord> usage = new CopyOnWriteArrayList<>();
  /** Whether each listener call ran on a worker thread, never an event loop. */
  final List<Boolean> onWorker = new CopyOnWriteArrayList<>();
  OpenFusion openfusion;
  HttpServer server;

  static JsonObject upstream(FakeUpstream upstream, String model) {
    return new JsonObject().put("base_url", upstream.baseUrl()).put("api_key", FakeUpstream.KEY).put("model", model);
  }

  static JsonObject panelRecipe(FakeUpstream upstream, String judge, String... members) {
    JsonArray panel = new JsonArray();
    for (String member : members) {
      panel.add(upstream(upstream, member));
    }
    return new JsonObject().put("strategy", "panel").put("panel", panel).put("judge", upstream(upstream, judge));
  }

  static JsonObject baseConfig(FakeUpstream upstream) {
    return panelRecipe(upstream, "base-judge", "base-1")
      .put("pass_through", upstream(upstream, "pt-default"))
      .put("gateway", new JsonObject().put("api_keys", new JsonArray()
        .add(KEY_ALPHA).add(KEY_BETA).add(KEY_BASE).add(KEY_UNRESOLVABLE)));
  }

  static RecipeResolver tenants() {
    RecipeResolver table = RecipeResolver.byCallerId(Map.of(
      Caller.idOfGatewayKey(KEY_ALPHA), "alpha",
      Caller.idOfGatewayKey(KEY_BETA), "beta"), null);
    String broken = Caller.idOfGatewayKey(KEY_UNRESOLVABLE);
    return caller -> broken.equals(caller.id()) ? Future.failedFuture("tenant directory unavailable")
      : table.resolve(caller);
  }

  /** Deploys with {@code listener} in front of the collecting one (it may throw). */
  EmbeddedHost start(FakeUpstream upstream, UsageListener listener) throws Exception {
    openfusion = OpenFusion.builder(vertx)
      .config(baseConfig(upstream))
      .env(Map.of())
      .recipe("alpha", panelRecipe(upstream, "alpha-judge", "alpha-1", "alpha-2"))
      .recipe("beta", panelRecipe(upstream, "beta-judge", "beta-1"))
      .recipeResolver(tenants())
      .usageListener(record -> {
        onWorker.add(Context.isOnWorkerThread() && !Context.isOnEventLoopThread());
        usage.add(record);
        listener.onUsage(record);
      })
      .deploy()
      .await(30, TimeUnit.SECONDS);
    Router router = Router.router(vertx);
    router.get("/hello").handler(ctx -> ctx.end("hello from the host"));
    openfusion.mount(router, "/llm");
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return this;
  }

  int port() {
    return server.actualPort();
  }

  void stop() throws Exception {
    if (openfusion != null) {
      openfusion.close().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
