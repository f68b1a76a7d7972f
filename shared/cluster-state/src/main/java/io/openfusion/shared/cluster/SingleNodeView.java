package io.openfusion.shared.cluster;

import io.vertx.core.Future;

import java.util.List;
import java.util.function.Consumer;

/** The view of a node running alone: itself, forever. */
final class SingleNodeView implements ClusterView {

  private final String id = "local";
  private volatile List<String> roles = List.of();

  @Override
  public String nodeId() {
    return id;
  }

  @Override
  public boolean clustered() {
    return false;
  }

  @Override
  public Future<List<ClusterNode>> nodes() {
    return Future.succeededFuture(List.of(new ClusterNode(id, "local", roles, true)));
  }

  @Override
  public Future<Void> announce(List<String> roles) {
    this.roles = List.copyOf(roles);
    return Future.succeededFuture();
  }

  @Override
  public Runnable onNodeLeft(Consumer<String> listener) {
    // a node alone never sees another leave
    return () -> { };
  }
}
