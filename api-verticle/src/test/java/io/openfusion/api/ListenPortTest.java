package io.openfusion.api;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.loading.ConfigParser;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port 0 asks for one free port for the whole api: every instance of a deployment listens on the port the node
 * announces, and another deployment in the same Vert.x (a second node in one JVM) gets a port of its own.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ListenPortTest {

  @Test
  void theInstancesOfADeploymentShareOneFreePort(Vertx vertx) {
    List<ApiVerticle> first = deploy(vertx, 3);
    Set<Integer> firstPorts = first.stream().map(ApiVerticle::port).collect(Collectors.toSet());
    assertThat(firstPorts).hasSize(1).allMatch(port -> port > 0);

    List<ApiVerticle> second = deploy(vertx, 2);
    Set<Integer> secondPorts = second.stream().map(ApiVerticle::port).collect(Collectors.toSet());
    assertThat(secondPorts).hasSize(1).doesNotContainAnyElementsOf(firstPorts);
  }

  @Test
  void aConfiguredPortIsUsedAsIs() {
    assertThat(ListenPort.of(8123, "any")).isEqualTo(8123);
    assertThat(ListenPort.of(0, "a")).isNegative().isEqualTo(ListenPort.of(0, "a")).isNotEqualTo(ListenPort.of(0, "b"));
  }

  private static List<ApiVerticle> deploy(Vertx vertx, int instances) {
    List<ApiVerticle> deployed = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> {
      ApiVerticle api = new ApiVerticle(config(), new ApiOptions(null, List.of("api")));
      deployed.add(api);
      return api;
    }, new DeploymentOptions().setInstances(instances)).await();
    return deployed;
  }

  private static OpenFusionConfig config() {
    return ConfigParser.parse(new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("panel", new JsonArray().add(new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("api_key", "k")
          .put("model", "m/one")))
        .put("judge", new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("api_key", "k").put("model", "j/judge")),
      Map.of(), "spec.yaml");
  }
}
