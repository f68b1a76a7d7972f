package io.openfusion.app.testing;

import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.Future;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Options for whole nodes (every role) in a test, and the deadline a test waits on one to start or stop. */
public final class TestNodes {

  /** Longer than a node's default shutdown grace (30 s), so a clean stop never runs into it. */
  public static final long DEADLINE_SECONDS = 60;

  private TestNodes() {
  }

  /** A node of its own, the api on a free loopback port. */
  public static NodeOptions standalone(OpenFusionConfig config) {
    return new NodeOptions(onFreeLoopbackPort(config), Role.all(), null, 1, "test-" + UUID.randomUUID());
  }

  /** A member of {@code cluster} named {@code name}, the api on a free loopback port. */
  public static NodeOptions clustered(OpenFusionConfig config, ClusterSettings cluster, String name) {
    return new NodeOptions(onFreeLoopbackPort(config), Role.all(), cluster, 1, name);
  }

  private static OpenFusionConfig onFreeLoopbackPort(OpenFusionConfig config) {
    return config.withServer(config.server().withHost("127.0.0.1").withPort(0));
  }

  /** Waits for {@code future}; a start or stop that hangs fails the test instead of hanging the build. */
  public static <T> T await(Future<T> future, String what) {
    try {
      return future.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not finish within " + DEADLINE_SECONDS + " s", e);
    }
  }
}
