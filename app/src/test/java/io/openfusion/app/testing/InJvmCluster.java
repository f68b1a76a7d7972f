package io.openfusion.app.testing;

import com.hazelcast.core.HazelcastInstance;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Several clustered nodes in the test's JVM, each running every role, over Hazelcast on loopback with a
 * cluster name of their own and ports in a range the caller picks (so concurrent test classes never meet).
 */
public final class InJvmCluster implements AutoCloseable {

  private final List<Node> nodes;

  private InJvmCluster(List<Node> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts {@code count} nodes and waits until each sees all of them.
   *
   * @param firstPort the lowest Hazelcast port to try; the cluster takes a random base in the next 900
   */
  public static InJvmCluster start(OpenFusionConfig config, int count, String namePrefix, int firstPort,
                                   long readyTimeoutMs) {
    ClusterSettings cluster = new ClusterSettings("openfusion-test-" + UUID.randomUUID(), List.of("127.0.0.1"),
      firstPort + ThreadLocalRandom.current().nextInt(0, 901), "127.0.0.1");
    List<Node> nodes = new ArrayList<>();
    InJvmCluster started = new InJvmCluster(nodes);
    try {
      for (int i = 0; i < count; i++) {
        nodes.add(Node.start(new NodeOptions(config, Role.all(), cluster, 1, namePrefix + i)).await());
      }
      started.awaitFormed(readyTimeoutMs);
      return started;
    } catch (RuntimeException | Error failure) {
      started.close();
      throw failure;
    }
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  public static int members(Node node) {
    return ((VertxInternal) node.vertx()).clusterManager().getNodes().size();
  }

  public static HazelcastInstance hazelcast(Node node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
  }

  private void awaitFormed(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!nodes.stream().allMatch(node -> members(node) == nodes.size())) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the cluster never formed within " + timeoutMs + " ms; members "
          + nodes.stream().map(InJvmCluster::members).toList());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Stops the nodes, last started first. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close().await();
    }
  }
}
