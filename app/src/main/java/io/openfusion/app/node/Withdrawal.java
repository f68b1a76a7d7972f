package io.openfusion.app.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes a stopping node out of the cluster's view of who serves an address, while its consumers stay registered
 * locally.
 *
 * <p>The other nodes pick a consumer from their own copy of the cluster's registrations, updated a few milliseconds
 * after a change. A message a node sends on a stale copy to a node that has already unregistered its consumer is
 * dropped without an answer, and its sender waits until its deadline. So a stopping node first removes its
 * registrations from the shared view only: the others stop choosing it, and whatever they still send on an old copy
 * finds the consumer in place and is served. Its consumers unregister for good when the node undeploys, seconds later,
 * when nobody sends to it any more.
 *
 * <p>An address no other node serves is left alone: the node is the last one able to finish the work in flight, and
 * withdrawing it would only turn that work into {@code no_workers}.
 */
final class Withdrawal {

  private Withdrawal() {
  }

  /**
   * @return the addresses this node was withdrawn from (empty when it runs alone or is the only node serving them)
   */
  static Future<List<String>> withdraw(Vertx vertx, List<String> addresses) {
    if (!vertx.isClustered() || !(vertx instanceof VertxInternal internal) || internal.clusterManager() == null) {
      return Future.succeededFuture(List.of());
    }
    ClusterManager manager = internal.clusterManager();
    String self = manager.getNodeId();
    List<Future<String>> each = new ArrayList<>();
    for (String address : addresses) {
      each.add(registrations(manager, address).compose(all -> {
        List<RegistrationInfo> ours = all.stream().filter(r -> self.equals(r.nodeId()) && !r.localOnly()).toList();
        boolean servedElsewhere = all.stream().anyMatch(r -> !self.equals(r.nodeId()) && !r.localOnly());
        if (ours.isEmpty() || !servedElsewhere) {
          return Future.succeededFuture((String) null);
        }
        List<Future<Void>> removed = ours.stream().map(r -> remove(manager, address, r)).toList();
        return Future.all(removed).map(address);
      }));
    }
    // an address that could not be withdrawn is served to the end like on a node alone
    return Future.join(each).transform(done -> Future.succeededFuture(each.stream()
      .filter(f -> f.succeeded() && f.result() != null).map(Future::result).toList()));
  }

  private static Future<List<RegistrationInfo>> registrations(ClusterManager manager, String address) {
    Promise<List<RegistrationInfo>> promise = Promise.promise();
    manager.getRegistrations(address, promise);
    return promise.future();
  }

  private static Future<Void> remove(ClusterManager manager, String address, RegistrationInfo registration) {
    Promise<Void> promise = Promise.promise();
    manager.removeRegistration(address, registration, promise);
    return promise.future();
  }
}
