package io.openfusion.embedded;

import io.openfusion.api.ApiOptions;
import io.openfusion.api.ApiRoutes;
import io.openfusion.api.http.BodyBudget;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.RequestIds;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.limits.RateLimiters;
import io.openfusion.shared.usage.UsageSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * openfusion running inside a host application's own Vert.x instance (standalone or clustered): its router, panel and
 * judge verticles are deployed there, and its OpenAI-compatible API ({@code /v1/chat/completions}, {@code /v1/responses},
 * {@code /v1/messages}, {@code /v1/models}...) is mounted on the host's vertx-web {@link Router}, next to the host's
 * own routes.
 *
 * <pre>{@code
 * OpenFusion.builder(vertx)
 *   .config(Path.of("openfusion.yaml"))
 *   .recipe("premium", premiumRecipe)
 *   .recipeResolver(caller -> Future.succeededFuture(premiumCallers.contains(caller.id()) ? "premium" : null))
 *   .usageListener(record -> billing.charge(record.callerId(), record.total()))
 *   .deploy()
 *   .onSuccess(openfusion -> openfusion.mount(router, "/llm"));   // POST /llm/v1/chat/completions
 * }</pre>
 *
 * <p>The mounted routes check the config's gateway keys and apply its limits like a node's api does; the playground,
 * {@code /healthz} and {@code /metrics} are the host's business and are not mounted.
 */
public final class OpenFusion {

  private static final Pattern MOUNT_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

  private final Vertx vertx;
  private final Recipes recipes;
  private final List<String> workers;
  private final ApiOptions apiOptions;
  /** Every mounted API and the context it serves on, to drain them on close. */
  private final List<Mounted> mounted = new CopyOnWriteArrayList<>();

  OpenFusion(Vertx vertx, Recipes recipes, List<String> workers, RecipeChoice recipeChoice, UsageSink usage) {
    this.vertx = vertx;
    this.recipes = recipes;
    this.workers = workers;
    ClusterView cluster = ClusterView.of(vertx);
    // admission state is per node: one rate limiter (cluster-wide when clustered), one in-flight count and one budget
    // for large request bodies, for every mount
    this.apiOptions = new ApiOptions(null, List.of("api", "router", "panel", "judge"))
      .withAdmission(RateLimiters.create(vertx, recipes.base()), new AtomicInteger(),
        BodyBudget.forHeap(recipes.base().server().maxBodyBytes()))
      .withCluster(cluster)
      .withEmbedding(recipeChoice, usage);
  }

  /**
   * Starts configuring an embedded openfusion.
   *
   * @param vertx the host's Vert.x instance; clustered or not, openfusion shares it and never closes it
   */
  public static OpenFusionBuilder builder(Vertx vertx) {
    return new OpenFusionBuilder(vertx);
  }

  /**
   * A new router holding openfusion's API routes ({@code /v1/...}), to mount as a sub-router:
   * {@code host.route("/llm/*").subRouter(openfusion.router())}.
   *
   * <p>Call it from the verticle (or event loop) that serves the host's router, once per router: its handlers keep
   * per-event-loop state (open streams, requests in flight), so a host that runs several server verticles builds one
   * per verticle.
   */
  public Router router() {
    ApiRoutes api = new ApiRoutes(vertx, recipes.base(), apiOptions);
    mounted.add(new Mounted(api, vertx.getOrCreateContext()));
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    api.addTo(router);
    router.route().failureHandler(ErrorResponses::onFailure);
    return router;
  }

  /**
   * Mounts openfusion's API on {@code host} under {@code path}: with {@code "/llm"}, clients call
   * {@code POST /llm/v1/chat/completions}. Same rules as {@link #router()}.
   *
   * @param path where to mount, like {@code /llm} or {@code /ai/v2}: starts with a slash, no trailing slash
   * @return the mounted sub-router
   */
  public Router mount(Router host, String path) {
    if (path == null || !MOUNT_PATH.matcher(path).matches()) {
      throw new IllegalArgumentException("mount path must look like /llm (a leading slash, no trailing one), got '"
        + path + "'");
    }
    Router api = router();
    host.route(path + "/*").subRouter(api);
    return api;
  }

  /** The names of the registered recipes a {@link RecipeResolver} may choose. */
  public Set<String> recipes() {
    return recipes.named().keySet();
  }

  /**
   * Stops openfusion: the mounted APIs stop taking chat requests (503 {@code shutting_down}) and let the ones in flight
   * finish within {@code server.shutdown_grace_seconds}, then the worker verticles are undeployed. The host's Vert.x
   * instance, its router and its own routes keep running.
   */
  public Future<Void> close() {
    List<Future<Void>> drained = mounted.stream().map(Mounted::drain).toList();
    return Future.join(drained)
      .transform(done -> Future.join(workers.stream().map(vertx::undeploy).toList()))
      .mapEmpty();
  }

  /** A mounted API and the context its handlers run on: it is drained there, as its state is that loop's. */
  private record Mounted(ApiRoutes api, Context context) {

    Future<Void> drain() {
      Promise<Void> drained = Promise.promise();
      context.runOnContext(v -> api.drain().onComplete(drained));
      return drained.future();
    }
  }
}
