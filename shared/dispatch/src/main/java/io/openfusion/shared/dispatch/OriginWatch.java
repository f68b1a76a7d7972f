package io.openfusion.shared.dispatch;

import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.cluster.ClusterView;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Cancels the work of requests whose api node left the cluster: their clients' connections died with
 * it, so panel, judge and pass-through calls made for them would only spend tokens nobody reads. The
 * cancel is the same one a disconnecting client triggers, so every node drops that request's calls.
 *
 * <p>One instance per router verticle instance, used on its event loop only.
 */
public final class OriginWatch {

  private static final Logger LOG = LoggerFactory.getLogger(OriginWatch.class);

  private final Vertx vertx;
  private final ClusterView cluster;
  private final Map<String, Set<String>> requestsByOrigin = new HashMap<>();
  private Runnable stopWatching = () -> { };
  private long cancelled;

  public OriginWatch(Vertx vertx, ClusterView cluster) {
    this.vertx = vertx;
    this.cluster = cluster;
  }

  /** Starts listening for departures; call from the owning verticle's start. */
  public void start() {
    if (cluster.clustered()) {
      Context context = vertx.getOrCreateContext();
      stopWatching = cluster.onNodeLeft(node -> context.runOnContext(v -> left(node)));
    }
  }

  public void stop() {
    stopWatching.run();
  }

  /** Watches {@code command}'s api node until the returned action is run (when the request ends). */
  public Runnable track(ChatCommand command) {
    String origin = command.origin();
    if (origin == null) {
      return () -> { };
    }
    String requestId = command.requestId();
    requestsByOrigin.computeIfAbsent(origin, node -> new LinkedHashSet<>()).add(requestId);
    return () -> {
      Set<String> requests = requestsByOrigin.get(origin);
      if (requests != null && requests.remove(requestId) && requests.isEmpty()) {
        requestsByOrigin.remove(origin);
      }
    };
  }

  /** Requests cancelled since start because their api node left. */
  public long cancelled() {
    return cancelled;
  }

  private void left(String node) {
    Set<String> orphaned = requestsByOrigin.remove(node);
    if (orphaned == null) {
      return;
    }
    LOG.warn("api node {} left the cluster: cancelling its {} requests", node, orphaned.size());
    orphaned.forEach(requestId -> CancelRegistry.publish(vertx.eventBus(), requestId));
    cancelled += orphaned.size();
  }
}
