package io.openfusion.shared.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One node of the cluster as {@code /healthz} reports it.
 *
 * @param id      the node id (the {@code node} tag of its metrics)
 * @param address where its cluster traffic goes (host:port)
 * @param roles   the roles it announced; empty while it is still starting
 * @param local   whether it is the node answering
 */
public record ClusterNode(String id, String address, List<String> roles, boolean local) {

  public ClusterNode {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("address", address).put("roles", new JsonArray(roles)).put("self", local);
  }
}
