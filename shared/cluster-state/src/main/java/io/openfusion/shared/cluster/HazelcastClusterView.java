package io.openfusion.shared.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cluster as Hazelcast sees it. Membership comes from Hazelcast itself (so a crashed node drops out
 * when Hazelcast declares it gone); roles come from a small replicated map each node writes on start,
 * read from local memory so {@code /healthz} never waits on the network. Entries of departed nodes are
 * ignored on read and expire, so a crash leaves nothing behind that matters.
 */
final class HazelcastClusterView implements ClusterView {

  static final String NODES_MAP = "openfusion.nodes";
  /** Where vertx-hazelcast keeps each member's Vert.x node id, the id the rest of openfusion uses. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";
  /** Long enough to outlive any node; an entry is only read while its node is a member anyway. */
  private static final long ENTRY_TTL_DAYS = 30;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String nodeId;

  HazelcastClusterView(Vertx vertx, HazelcastInstance hazelcast, String nodeId) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public Future<List<ClusterNode>> nodes() {
    ReplicatedMap<String, String> announced = roles();
    List<ClusterNode> nodes = new ArrayList<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String id = idOf(member);
      nodes.add(new ClusterNode(id, member.getAddress().getHost() + ":" + member.getAddress().getPort(),
        parseRoles(announced.get(id)), member.localMember()));
    }
    return Future.succeededFuture(nodes);
  }

  @Override
  public Future<Void> announce(List<String> roles) {
    String encoded = new JsonArray(roles).encode();
    // the write goes to the entry's partition owner, possibly over the network: not on an event loop
    return vertx.executeBlocking(() -> roles().put(nodeId(), encoded, ENTRY_TTL_DAYS, TimeUnit.DAYS), false).mapEmpty();
  }

  @Override
  public Runnable onNodeLeft(Consumer<String> listener) {
    UUID registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // joining nodes take work through the event bus on their own
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        listener.accept(idOf(event.getMember()));
      }
    });
    return () -> hazelcast.getCluster().removeMembershipListener(registration);
  }

  private static String idOf(Member member) {
    String vertxId = member.getAttribute(VERTX_NODE_ID);
    return vertxId != null ? vertxId : member.getUuid().toString();
  }

  private ReplicatedMap<String, String> roles() {
    return hazelcast.getReplicatedMap(NODES_MAP);
  }

  private static List<String> parseRoles(String encoded) {
    List<String> roles = new ArrayList<>();
    if (encoded != null) {
      new JsonArray(encoded).forEach(role -> roles.add(String.valueOf(role)));
    }
    return roles;
  }
}
