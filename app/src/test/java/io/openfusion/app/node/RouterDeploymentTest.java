package io.openfusion.app.node;

import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the api runs, a router instance runs on every event loop, so every api instance has one on its own thread. */
class RouterDeploymentTest {

  @Test
  void withTheApiTheRoutersCoverEveryEventLoop() {
    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    assertThat(Node.routerDeployment(new NodeOptions(null, Role.all(), null, 1, null)).getInstances()).isEqualTo(loops);
    assertThat(Node.routerDeployment(new NodeOptions(null, Set.of(Role.API, Role.ROUTER), null, loops + 3, null))
      .getInstances()).isEqualTo(loops + 3);
  }

  @Test
  void aRouterNodeWithoutTheApiDeploysTheInstancesItIsGiven() {
    assertThat(Node.routerDeployment(new NodeOptions(null, Set.of(Role.ROUTER, Role.JUDGE), null, 2, null))
      .getInstances()).isEqualTo(2);
  }
}
