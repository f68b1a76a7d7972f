package io.openfusion.router;

import io.openfusion.router.cache.HazelcastResponseCache;
import io.openfusion.router.cache.LocalResponseCache;
import io.openfusion.router.cache.ResponseCache;
import io.openfusion.shared.upstream.pricing.Pricing;
import io.openfusion.autorouter.HazelcastOutcomeStore;
import io.openfusion.autorouter.LocalOutcomeStore;
import io.openfusion.autorouter.OutcomeStore;
import io.openfusion.shared.cluster.Hazelcast;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ResponseCacheConfig;
import io.openfusion.shared.limits.LocalTokenLedger;
import io.openfusion.shared.limits.TokenLedger;
import io.openfusion.shared.limits.TokenLedgers;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;

/**
 * State the router instances of one node share: what the Auto Router has learned, the response cache,
 * the price lists and the token ledger. Each is thread-safe, so the instances' event loops may use it at
 * once.
 *
 * <p>On a Hazelcast cluster the learned outcomes, the response cache and the token ledger live in
 * cluster-wide maps, so every router node learns from, replays and accounts for the same requests; on
 * a single node they are in memory. Price lists stay per node: they are public and cheap to refetch.
 *
 * @param responseCache null when {@code response_cache.enabled} is false
 */
public record RouterShared(OutcomeStore outcomes, ResponseCache responseCache, Pricing pricing, TokenLedger ledger) {

  /** In-memory state without a token ledger of its own (tests, embedding). */
  public RouterShared(OutcomeStore outcomes, ResponseCache responseCache, Pricing pricing) {
    this(outcomes, responseCache, pricing, new LocalTokenLedger());
  }

  public static RouterShared create(Vertx vertx, OpenFusionConfig config) {
    ResponseCacheConfig cache = config.responseCache();
    TokenLedger ledger = TokenLedgers.create(vertx, config);
    Pricing pricing = new Pricing(vertx, Clock.systemUTC());
    var hazelcast = Hazelcast.of(vertx);
    if (hazelcast.isPresent()) {
      return new RouterShared(new HazelcastOutcomeStore(vertx, hazelcast.get()),
        cache.enabled() ? new HazelcastResponseCache(vertx, hazelcast.get(), cache.maxEntries(),
          Duration.ofSeconds(cache.ttlSeconds())) : null,
        pricing, ledger);
    }
    return new RouterShared(new LocalOutcomeStore(),
      cache.enabled() ? new LocalResponseCache(cache.maxEntries(), Duration.ofSeconds(cache.ttlSeconds()), Clock.systemUTC()) : null,
      pricing, ledger);
  }
}
