package io.openfusion.app.node;

import io.openfusion.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * How a node stops without losing a request (SIGTERM, a rolling update):
 * <ol>
 *   <li>it takes its worker consumers ({@code router.chat}, {@code panel.call}, {@code judge.synthesize} and the
 *   router's queries) out of the cluster's view ({@link Withdrawal}), so other nodes send new work elsewhere, while
 *   the consumers keep serving what still arrives; its api, if any, starts draining at the same moment (new chat
 *   requests get 503 {@code shutting_down} with {@code Connection: close}, the ones in flight finish);</li>
 *   <li>it waits until the withdrawal has reached every node ({@link #SETTLE_MS}) and the work it holds has ended,
 *   within {@code server.shutdown_grace_seconds} in all;</li>
 *   <li>only then does Vert.x undeploy the verticles (work still running past the grace is cut) and leave the
 *   cluster, so no node ever sends work to one that is gone.</li>
 * </ol>
 */
final class NodeStop {

  /**
   * How long the other nodes get to see a withdrawal: cluster events reach them in milliseconds, and a message sent
   * on an older view still finds the consumer here, so this only has to outlast the slowest event delivery.
   */
  static final long SETTLE_MS = 2_000;
  private static final long POLL_MS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(NodeStop.class);

  private NodeStop() {
  }

  /** The addresses through which other nodes hand a node with these roles its work. */
  static List<String> workAddresses(Set<Role> roles) {
    List<String> addresses = new ArrayList<>();
    if (roles.contains(Role.ROUTER)) {
      addresses.addAll(List.of(Addresses.ROUTER_CHAT, Addresses.ROUTER_ESTIMATE, Addresses.ROUTER_OUTCOMES));
    }
    if (roles.contains(Role.PANEL)) {
      addresses.add(Addresses.PANEL_CALL);
    }
    if (roles.contains(Role.JUDGE)) {
      addresses.add(Addresses.JUDGE_SYNTHESIZE);
    }
    return addresses;
  }

  /**
   * @param apiDeployment the api's deployment id (its stop drains the HTTP edge), or null
   * @param graceMs       {@code server.shutdown_grace_seconds}: the longest the api and the work may take
   * @param work          the worker runs this node holds now: router requests, panel calls and syntheses
   * @return completes once the node has left (Vert.x closed)
   */
  static Future<Void> stop(Vertx vertx, Set<Role> roles, String apiDeployment, long graceMs, IntSupplier work) {
    long started = System.currentTimeMillis();
    long deadline = started + graceMs;
    Future<List<String>> withdrawn = Withdrawal.withdraw(vertx, workAddresses(roles)).recover(failure -> {
      LOG.warn("could not withdraw this node's consumers before stopping: {}", failure.toString());
      return Future.succeededFuture(List.of());
    });
    Future<?> api = apiDeployment == null ? Future.succeededFuture() : vertx.undeploy(apiDeployment);
    Future<Void> workers = withdrawn.compose(addresses -> {
      LOG.info("stopping: {}, api {}, waiting up to {} ms for {} worker runs",
        addresses.isEmpty() ? "no consumer withdrawn" : "withdrawn from " + addresses,
        apiDeployment == null ? "none" : "draining", graceMs, work.getAsInt());
      if (!vertx.isClustered()) {
        // alone, every run serves this node's own api, which waits for its requests itself
        return Future.succeededFuture();
      }
      long settled = addresses.isEmpty() ? started : Math.min(deadline, started + SETTLE_MS);
      return idle(vertx, settled, deadline, work);
    });
    // complete on a promise of our own: a future chained on the closing instance's context is never delivered
    Promise<Void> closed = Promise.promise();
    Future.join(api, workers).onComplete(drained -> {
      long drainedAt = System.currentTimeMillis();
      LOG.info("drained in {} ms ({} worker runs cut); leaving", drainedAt - started, work.getAsInt());
      vertx.close().onComplete(left -> {
        LOG.info("left in {} ms (stop took {} ms)", System.currentTimeMillis() - drainedAt,
          System.currentTimeMillis() - started);
        closed.handle(left);
      });
    });
    return closed.future();
  }

  /** Completes once {@code settled} has passed and no work runs, or at {@code deadline} whatever runs. */
  private static Future<Void> idle(Vertx vertx, long settled, long deadline, IntSupplier work) {
    Promise<Void> idle = Promise.promise();
    Runnable check = () -> {
      long now = System.currentTimeMillis();
      if (now >= deadline || (now >= settled && work.getAsInt() == 0)) {
        idle.tryComplete();
      }
    };
    check.run();
    if (!idle.future().isComplete()) {
      long timer = vertx.setPeriodic(POLL_MS, id -> check.run());
      idle.future().onComplete(done -> vertx.cancelTimer(timer));
    }
    return idle.future();
  }
}
