package io.openfusion.app.node;

import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;

import java.util.Set;

/**
 * How to start one node.
 *
 * @param cluster         Hazelcast settings, or null to run alone (local event bus)
 * @param instances       instances of each verticle; more spread the work over more event loops
 * @param metricsRegistry Micrometer registry name (distinct per node when several share a JVM)
 */
public record NodeOptions(OpenFusionConfig config, Set<Role> roles, ClusterSettings cluster, int instances,
                          String metricsRegistry) {

  public static final String DEFAULT_REGISTRY = "openfusion";

  public static NodeOptions standalone(OpenFusionConfig config) {
    return new NodeOptions(config, Role.all(), null, defaultInstances(), DEFAULT_REGISTRY);
  }

  public static int defaultInstances() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  public boolean clustered() {
    return cluster != null;
  }

  public NodeOptions withInstances(int instances) {
    return new NodeOptions(config, roles, cluster, instances, metricsRegistry);
  }
}
