package io.openfusion.shared.limits;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.cluster.Hazelcast;
import io.vertx.core.Vertx;

/** Picks the token ledger for a node: cluster-wide on Hazelcast, else local. */
public final class TokenLedgers {

  private TokenLedgers() {
  }

  /**
   * A {@link HazelcastTokenLedger} on a clustered Vert.x with the Hazelcast cluster manager, else a
   * {@link LocalTokenLedger}. Call once per node, outside the request path, and share the result between
   * the node's router instances. Without any token limit or budget the (never used) local one is returned.
   */
  public static TokenLedger create(Vertx vertx, OpenFusionConfig config) {
    if (!config.limits().meterTokens()) {
      return new LocalTokenLedger();
    }
    return Hazelcast.of(vertx).<TokenLedger>map(hazelcast -> new HazelcastTokenLedger(vertx, hazelcast))
      .orElseGet(LocalTokenLedger::new);
  }
}
