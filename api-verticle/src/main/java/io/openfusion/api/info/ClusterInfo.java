package io.openfusion.api.info;

import io.openfusion.shared.cluster.ClusterNode;
import io.openfusion.shared.cluster.ClusterView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * What a node says about itself and its cluster. {@code /healthz} is open (probes call it), so it gives
 * only this node's id and roles and how many nodes it sees; {@code GET /v1/cluster}, behind the gateway
 * keys like every {@code /v1} route, lists every node with its address and roles.
 */
public final class ClusterInfo {

  private final ClusterView cluster;
  private final List<String> roles;

  public ClusterInfo(ClusterView cluster, List<String> roles) {
    this.cluster = cluster;
    this.roles = List.copyOf(roles);
  }

  public void health(RoutingContext ctx) {
    cluster.nodes().onComplete(nodes -> ctx.json(new JsonObject()
      .put("status", "ok")
      .put("node", cluster.nodeId())
      .put("roles", new JsonArray(roles))
      .put("clustered", cluster.clustered())
      .put("nodes", nodes.succeeded() ? nodes.result().size() : 1)));
  }

  public void nodes(RoutingContext ctx) {
    cluster.nodes().onComplete(nodes -> {
      if (nodes.failed()) {
        ctx.fail(nodes.cause());
        return;
      }
      JsonArray list = new JsonArray();
      nodes.result().stream().map(ClusterNode::toJson).forEach(list::add);
      ctx.json(new JsonObject()
        .put("node", cluster.nodeId())
        .put("clustered", cluster.clustered())
        .put("nodes", list));
    });
  }
}
