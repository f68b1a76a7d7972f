package io.openfusion.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The port the api instances of one deployment listen on. A configured port is shared by all of them. Port 0 (any free
 * port) would give each instance a port of its own, of which the node announces one; so the instances of a deployment
 * listen on one negative port instead, which Vert.x binds once, to a free port, and shares among them. Each deployment
 * gets its own negative port, so two nodes in one JVM (tests, an embedding host) never share a listener.
 */
final class ListenPort {

  private static final AtomicInteger LAST_SHARED = new AtomicInteger();
  private static final Map<String, Integer> SHARED_BY_DEPLOYMENT = new ConcurrentHashMap<>();

  private ListenPort() {
  }

  /** The port to pass to Vert.x for {@code configured}, for an instance of deployment {@code deploymentId}. */
  static int of(int configured, String deploymentId) {
    if (configured != 0) {
      return configured;
    }
    return SHARED_BY_DEPLOYMENT.computeIfAbsent(deploymentId, id -> -LAST_SHARED.incrementAndGet());
  }

  /** Forgets the deployment's shared port once its instances stop (its listener is closed with them). */
  static void release(String deploymentId) {
    SHARED_BY_DEPLOYMENT.remove(deploymentId);
  }
}
