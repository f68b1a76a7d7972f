package io.openfusion.shared.limits;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.cluster.Hazelcast;
import io.vertx.core.Vertx;

/** Picks the rate limiter for a node: none, local, or cluster-wide on Hazelcast. */
public final class RateLimiters {

  private RateLimiters() {
  }

  /**
   * {@link RateLimiter#unlimited()} when {@code limits.rate_limit_per_minute} is 0, a
   * {@link HazelcastRateLimiter} on a clustered Vert.x with the Hazelcast cluster manager, else a
   * {@link LocalRateLimiter}. Call once per node, outside the request path, and share the result
   * between the node's api instances.
   */
  public static RateLimiter create(Vertx vertx, OpenFusionConfig config) {
    int limit = config.limits().rateLimitPerMinute();
    if (limit <= 0) {
      return RateLimiter.unlimited();
    }
    return Hazelcast.of(vertx).<RateLimiter>map(hazelcast -> new HazelcastRateLimiter(vertx, hazelcast, limit))
      .orElseGet(() -> new LocalRateLimiter(limit));
  }
}
