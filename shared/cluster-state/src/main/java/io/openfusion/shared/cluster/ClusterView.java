package io.openfusion.shared.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.Consumer;

/**
 * What a node knows about the cluster it is part of: its own id, the other nodes and their roles, and
 * when a node goes away. Alone (not clustered) it is a cluster of one that never loses a node.
 */
public interface ClusterView {

  /** This node's id: the Vert.x cluster node id when clustered (the {@code node} tag of its metrics), {@code local} otherwise. */
  String nodeId();

  boolean clustered();

  /** The cluster's nodes as of now, this one included, with the roles each announced. */
  Future<List<ClusterNode>> nodes();

  /** Announces this node's roles to the others; call once the node serves them. */
  Future<Void> announce(List<String> roles);

  /**
   * Calls {@code listener} with the id of every node that leaves the cluster (stopped, crashed or cut
   * off), on a thread of the cluster manager: hand the work to an event loop.
   *
   * @return stops the listening
   */
  Runnable onNodeLeft(Consumer<String> listener);

  /** The view of the node {@code vertx} runs. */
  static ClusterView of(Vertx vertx) {
    return Hazelcast.manager(vertx).<ClusterView>map(hazelcast ->
        new HazelcastClusterView(vertx, hazelcast.getHazelcastInstance(), hazelcast.getNodeId()))
      .orElseGet(SingleNodeView::new);
  }
}
