package io.openfusion.app.testing;

import io.openfusion.app.node.Node;
import io.vertx.core.Future;

/** A node a {@link NodeExtension} started, and the client it made for the node's api (none without the api role). */
public final class RunningNode {

  private final Node node;
  private Client client;
  private Future<Void> stopping;

  RunningNode(Node node) {
    this.node = node;
  }

  /** Set once the node is registered for closing, so a client that fails to start never leaves the node running. */
  Client attach(Client client) {
    this.client = client;
    return client;
  }

  public Node node() {
    return node;
  }

  public Client client() {
    if (client == null) {
      throw new IllegalStateException("node " + node.options().metricsRegistry() + " has no api role, so no client");
    }
    return client;
  }

  public int port() {
    return node.httpPort();
  }

  /**
   * Stops the node gracefully, once: a test that stops it itself (to watch a shutdown) and the extension after the
   * test share the same stop.
   */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      stopping = node.close();
    }
    return stopping;
  }
}
