package io.openfusion.api;

import io.openfusion.api.http.BodyBudget;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.limits.RateLimiter;
import io.openfusion.shared.tracing.Tracing;
import io.openfusion.shared.usage.UsageSink;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the api verticle is wired into its node.
 *
 * @param metricsRegistry the Micrometer registry name to scrape at {@code /metrics}, or null without metrics
 * @param roles           the roles this node runs, reported by {@code /healthz}
 * @param rateLimiter     the node's rate limiter, shared by its api instances (cluster-wide when clustered);
 *                        null: each api instance builds its own from the config
 * @param inFlight        the node's count of chat requests in flight, shared by its api instances
 *                        ({@code limits.max_in_flight} is per node); null: one counter per api instance
 * @param bodies          the request-body bytes the node holds at once, shared by its api instances; null: one
 *                        budget per api instance
 * @param cluster         the node's view of its cluster; null: the api instance asks Vert.x for it
 * @param recipes         chooses each chat request's named recipe; null: every request runs the node's config
 * @param usage           where a chat request's usage goes when this edge ended it before any router had it
 * @param tracing         the node's traces, or null when it has none
 */
public record ApiOptions(String metricsRegistry, List<String> roles, RateLimiter rateLimiter, AtomicInteger inFlight,
                         BodyBudget bodies, ClusterView cluster, RecipeChooser recipes, UsageSink usage, Tracing tracing) {

  public ApiOptions(String metricsRegistry, List<String> roles) {
    this(metricsRegistry, roles, null, null, null, null, null, UsageSink.NONE, null);
  }

  public static ApiOptions standalone() {
    return new ApiOptions(null, List.of("api", "router", "panel", "judge"));
  }

  /** These options with the node's admission state. */
  public ApiOptions withAdmission(RateLimiter rateLimiter, AtomicInteger inFlight, BodyBudget bodies) {
    return new ApiOptions(metricsRegistry, roles, rateLimiter, inFlight, bodies, cluster, recipes, usage, tracing);
  }

  /** These options with an embedding host's recipe choice and usage reports. */
  public ApiOptions withEmbedding(RecipeChooser recipes, UsageSink usage) {
    return new ApiOptions(metricsRegistry, roles, rateLimiter, inFlight, bodies, cluster, recipes, usage, tracing);
  }

  /** These options with the node's view of its cluster, for {@code /healthz}. */
  public ApiOptions withCluster(ClusterView cluster) {
    return new ApiOptions(metricsRegistry, roles, rateLimiter, inFlight, bodies, cluster, recipes, usage, tracing);
  }

  /** These options with the node's traces: each chat request's bus message then names the request's server span. */
  public ApiOptions withTracing(Tracing tracing) {
    return new ApiOptions(metricsRegistry, roles, rateLimiter, inFlight, bodies, cluster, recipes, usage, tracing);
  }
}
