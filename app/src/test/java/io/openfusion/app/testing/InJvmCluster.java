package io.openfusion.app.testing;

import com.hazelcast.core.HazelcastInstance;
import io.openfusion.app.node.Node;
import io.openfusion.shared.config.ClusterSettings;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Clustered nodes in the test's JVM, over Hazelcast on loopback with a cluster name of their own and ports in a
 * range the caller picks, so concurrent test classes never meet. {@link NodeExtension} starts and stops them.
 */
public final class InJvmCluster {

  private InJvmCluster() {
  }

  /**
   * Settings for a new cluster on loopback.
   *
   * @param firstPort the lowest Hazelcast port to try; the cluster takes a random base in the next 900
   */
  public static ClusterSettings loopback(int firstPort) {
    return new ClusterSettings("openfusion-test-" + UUID.randomUUID(), List.of("127.0.0.1"),
      firstPort + ThreadLocalRandom.current().nextInt(0, 901), "127.0.0.1");
  }

  public static int members(Node node) {
    return ((VertxInternal) node.vertx()).clusterManager().getNodes().size();
  }

  public static HazelcastInstance hazelcast(Node node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
  }

  /** Waits until each of {@code nodes} sees all of them. */
  public static void awaitFormed(List<Node> nodes, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!nodes.stream().allMatch(node -> members(node) == nodes.size())) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the cluster never formed within " + timeoutMs + " ms; members "
          + nodes.stream().map(InJvmCluster::members).toList());
      }
      Pause.sleep(100);
    }
  }
}
