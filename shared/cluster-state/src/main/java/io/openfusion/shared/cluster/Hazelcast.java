package io.openfusion.shared.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.Optional;

/**
 * The one place that reaches through Vert.x's internals to the cluster manager: every cluster-wide store starts from
 * the node's Hazelcast instance, and a node that is not clustered on Hazelcast has none (its stores stay in memory).
 */
public final class Hazelcast {

  private Hazelcast() {
  }

  /** @return the cluster manager of a Vert.x clustered with Hazelcast, else empty */
  static Optional<HazelcastClusterManager> manager(Vertx vertx) {
    if (vertx.isClustered() && vertx instanceof VertxInternal internal
      && internal.clusterManager() instanceof HazelcastClusterManager hazelcast) {
      return Optional.of(hazelcast);
    }
    return Optional.empty();
  }

  /** @return the node's Hazelcast instance when {@code vertx} is clustered with Hazelcast, else empty */
  public static Optional<HazelcastInstance> of(Vertx vertx) {
    return manager(vertx).map(HazelcastClusterManager::getHazelcastInstance);
  }
}
