package io.openfusion.app.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.InJvmCluster;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.RunningNode;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.openfusion.app.testing.InJvmCluster.members;
import static io.openfusion.app.testing.Pause.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered nodes in one JVM, over Hazelcast on loopback: node A runs api, router and judge, node B
 * only the panel. A fused request sent to A must reach B's panel workers over the clustered event bus
 * and come back as the usual SSE stream or completion.
 */
@Tag("cluster")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoNodeClusterTest {

  private static final long READY_TIMEOUT_MS = 20_000;

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .stubs(Upstreams::stubFusion)
    .namedEvents()
    .build();

  private static Node nodeA;
  private static Node nodeB;
  private static Client client;
  /** A's answer to a fused request sent while it was alone in the cluster. */
  private static HttpResponse<Buffer> beforePanelJoined;
  /** Panel calls delivered to a consumer on each node. */
  private static final AtomicInteger panelCallsOnA = new AtomicInteger();
  private static final AtomicInteger panelCallsOnB = new AtomicInteger();

  @BeforeAll
  static void start(WireMockServer upstream) {
    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    OpenFusionConfig config = recipe.withServer(new ServerConfig("127.0.0.1", 0, recipe.server().maxBodyBytes()));
    ClusterSettings cluster = InJvmCluster.loopback(27_000);

    RunningNode a = openfusion.start(new NodeOptions(config, EnumSet.of(Role.API, Role.ROUTER, Role.JUDGE), cluster, 1, "node-0"));
    nodeA = a.node();
    client = a.client();
    beforePanelJoined = client.post("/v1/chat/completions", Client.chat("openfusion", "ping", false));
    nodeB = openfusion.start(new NodeOptions(config, EnumSet.of(Role.PANEL), cluster, 1, "node-1")).node();
    countPanelDeliveries(nodeA, panelCallsOnA);
    countPanelDeliveries(nodeB, panelCallsOnB);
    awaitPanelReachableFromA();
  }

  @BeforeEach
  void reset() {
    panelCallsOnA.set(0);
    panelCallsOnB.set(0);
  }

  private static void countPanelDeliveries(Node node, AtomicInteger counter) {
    node.vertx().eventBus().addInboundInterceptor(delivery -> {
      if (Addresses.PANEL_CALL.equals(delivery.message().address())) {
        counter.incrementAndGet();
      }
      delivery.next();
    });
  }

  /**
   * Waits until both nodes see a two-member cluster and a fused request sent to A succeeds, which
   * needs B's panel registrations to have reached A. Until then A answers 503 no_workers.
   */
  private static void awaitPanelReachableFromA() {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    List<String> failures = new ArrayList<>();
    while (true) {
      boolean twoMembers = members(nodeA) == 2 && members(nodeB) == 2;
      if (twoMembers) {
        HttpResponse<Buffer> probe = client.post("/v1/chat/completions", Client.chat("openfusion", "ping", false));
        if (probe.statusCode() == 200) {
          return;
        }
        JsonObject error = probe.bodyAsJsonObject().getJsonObject("error", new JsonObject());
        String failure = probe.statusCode() + " " + error.getString("code");
        if (failures.isEmpty() || !failures.get(failures.size() - 1).equals(failure)) {
          failures.add(failure);
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the panel on node B never became reachable from node A within " + READY_TIMEOUT_MS
          + " ms (members A=" + members(nodeA) + ", B=" + members(nodeB) + "; probe failures " + failures + ")");
      }
      sleep(100);
    }
  }

  private static void assertPanelRanOnB() {
    assertThat(panelCallsOnB).as("panel calls delivered on node B").hasValue(2);
    assertThat(panelCallsOnA).as("panel calls delivered on node A (it has no panel role)").hasValue(0);
    for (String model : List.of("m1", "m2")) {
      openfusion.upstream().verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo(model))));
    }
  }

  @Test
  void nodesHaveTheirRolesOnly() {
    assertThat(nodeA.httpPort()).isPositive();
    assertThat(nodeB.httpPort()).isEqualTo(-1);
    assertThat(nodeA.options().roles()).isEqualTo(Set.of(Role.API, Role.ROUTER, Role.JUDGE));
    assertThat(nodeB.options().roles()).isEqualTo(Set.of(Role.PANEL));
    assertThat(members(nodeA)).isEqualTo(2);
  }

  @Test
  void theApiNodeReportsTheClusterAndEachNodesRoles() {
    String idA = ((VertxInternal) nodeA.vertx()).clusterManager().getNodeId();
    String idB = ((VertxInternal) nodeB.vertx()).clusterManager().getNodeId();
    JsonObject health = client.get("/healthz").bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getString("node")).isEqualTo(idA);
    assertThat(health.getJsonArray("roles").getList()).containsExactlyInAnyOrder("api", "router", "judge");
    assertThat(health.getBoolean("clustered")).isTrue();
    assertThat(health.getInteger("nodes")).isEqualTo(2);
    assertThat(health.encode()).as("the open probe names no other node").doesNotContain(idB);

    JsonObject view = client.get("/v1/cluster").bodyAsJsonObject();
    assertThat(view.getString("node")).isEqualTo(idA);
    List<JsonObject> nodes = view.getJsonArray("nodes").stream().map(JsonObject.class::cast).toList();
    assertThat(nodes).extracting(node -> node.getString("id")).containsExactlyInAnyOrder(idA, idB);
    JsonObject b = nodes.stream().filter(node -> node.getString("id").equals(idB)).findFirst().orElseThrow();
    assertThat(b.getJsonArray("roles").getList()).containsExactly("panel");
    assertThat(b.getBoolean("self")).isFalse();
    assertThat(b.getString("address")).startsWith("127.0.0.1:");
  }

  @Test
  void aFusedRequestBeforeAnyPanelNodeJoinedFailsAndNamesTheMissingRole() {
    // every member call finds no panel consumer: an outage of the deployment, so 503 no_workers
    assertThat(beforePanelJoined.statusCode()).isEqualTo(503);
    JsonObject error = beforePanelJoined.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("no_workers");
    assertThat(error.getString("message")).contains("No panel worker is running", "start a node with the 'panel' role");
  }

  @Test
  void streamedFusionCrossesTheClusterWithTheExactFrameShape() {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital of France?", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
    List<Sse.Frame> frames = Sse.parse(response.bodyAsString());
    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("The capital is Paris.");
    assertThat(frames.stream().filter(f -> f.kind().equals("progress:panel_member")).map(f -> f.json().getBoolean("ok")))
      .containsExactly(true, true);
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonObject("panel_total").getInteger("prompt_tokens")).isEqualTo(22);
    assertThat(usage.getJsonObject("total").getInteger("total_tokens")).isEqualTo(22 + 9 + 107);
    assertPanelRanOnB();
  }

  @Test
  void nonStreamedFusionCrossesTheCluster() {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital of France?", false));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("model")).isEqualTo("openfusion");
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("The capital is Paris.");
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(10 + 12 + 100);
    assertThat(body.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5 + 4 + 7);
    assertPanelRanOnB();
  }
}
