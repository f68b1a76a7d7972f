package io.openfusion.router;

import io.openfusion.router.cache.LocalResponseCache;
import io.openfusion.router.cache.ResponseCache;
import io.openfusion.router.estimate.Pricing;
import io.openfusion.router.routing.LocalOutcomeStore;
import io.openfusion.router.routing.OutcomeStore;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;

/**
 * State the router instances of one node share: what the Auto Router has learned, the response cache
 * and the price lists. Each instance is thread-safe, so the instances' event loops may use it at once.
 *
 * @param responseCache null when {@code response_cache.enabled} is false
 */
public record RouterShared(OutcomeStore outcomes, ResponseCache responseCache, Pricing pricing) {

  public static RouterShared create(Vertx vertx, OpenFusionConfig config) {
    var cache = config.responseCache();
    return new RouterShared(new LocalOutcomeStore(),
      cache.enabled() ? new LocalResponseCache(cache.maxEntries(), Duration.ofSeconds(cache.ttlSeconds()), Clock.systemUTC()) : null,
      new Pricing(vertx, Clock.systemUTC()));
  }
}
