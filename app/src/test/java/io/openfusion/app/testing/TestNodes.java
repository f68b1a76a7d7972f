package io.openfusion.app.testing;

import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.OpenFusionConfig;

import java.util.UUID;

/** Starts a whole node (every role) on a free port for a test. */
public final class TestNodes {

  private TestNodes() {
  }

  public static Node start(OpenFusionConfig config) {
    OpenFusionConfig onFreePort = config.withServer(config.server().withHost("127.0.0.1").withPort(0));
    NodeOptions options = new NodeOptions(onFreePort, Role.all(), null, 1, "test-" + UUID.randomUUID());
    return Node.start(options).await();
  }
}
