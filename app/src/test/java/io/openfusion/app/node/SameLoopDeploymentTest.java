package io.openfusion.app.node;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the api runs, a router instance runs on every event loop, so every api instance has one on its own thread. */
class SameLoopDeploymentTest {

  @Test
  void withTheApiTheRoutersCoverEveryEventLoop() {
    int loops = 4;
    assertThat(Node.routerDeployment(new NodeOptions(null, Role.all(), null, 1, null), loops).getInstances()).isEqualTo(loops);
    assertThat(Node.routerDeployment(new NodeOptions(null, Set.of(Role.API, Role.ROUTER), null, loops + 3, null),
      loops).getInstances()).isEqualTo(loops + 3);
  }

  @Test
  void aRouterNodeWithoutTheApiDeploysTheInstancesItIsGiven() {
    assertThat(Node.routerDeployment(new NodeOptions(null, Set.of(Role.ROUTER, Role.JUDGE), null, 2, null), 4)
      .getInstances()).isEqualTo(2);
  }

  @Test
  void theLoopsAreCountedFromTheVertxInstanceItself() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
    try {
      assertThat(Node.eventLoops(vertx)).isEqualTo(3);
    } finally {
      vertx.close().await();
    }
  }
}
