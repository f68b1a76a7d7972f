package io.openfusion.app.node;

import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On Linux (x86-64 or ARM64) a node runs its event loops on Netty's native epoll transport, which the jar ships (the
 * relay's socket reads and writes cost less than on NIO; bench/RESULTS.md); elsewhere Vert.x falls back to NIO by itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeTransportTest {

  @Test
  void aNodeOnLinuxUsesTheNativeEpollTransport() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    assumeTrue(os.contains("linux") && List.of("amd64", "x86_64", "aarch64").contains(arch),
      "epoll ships for x86-64 and ARM64 Linux");
    WireMockServer upstream = Upstreams.start();
    try {
      OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m");
      OpenFusionConfig config = recipe.withServer(recipe.server().withHost("127.0.0.1").withPort(0));
      Node node = Node.start(new NodeOptions(config, Role.all(), null, 1, "transport-" + UUID.randomUUID())).await();
      try {
        assertThat(node.vertx().isNativeTransportEnabled())
          .as("native transport, else: %s", node.vertx().unavailableNativeTransportCause()).isTrue();
      } finally {
        node.close().await();
      }
    } finally {
      upstream.stop();
    }
  }
}
