package io.openfusion.app.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.NodeTracing;
import io.openfusion.app.node.Role;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.InJvmCluster;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.RunningNode;
import io.openfusion.app.testing.Traces;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.openfusion.app.testing.Traces.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two clustered nodes in one JVM, both tracing into one in-memory exporter: node A runs the api and the router, node B
 * the panel and the judge. A fused request is still one trace: A's server span and run span, and B's member and judge
 * call spans as children of A's run, their context carried by the bus requests between the nodes.
 */
@Tag("cluster")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TracingClusterTest {

  private static final String CLIENT_TRACE = "5e1b3a2c9d8f7e6a5b4c3d2e1f0a9b8c";
  private static final String CLIENT_SPAN = "1a2b3c4d5e6f7a8b";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock().stubs(Upstreams::stubFusion).build();

  private static WireMockServer upstream;
  private static Traces traces;
  private static Node nodeA;
  private static Node nodeB;
  private static Client client;

  @BeforeAll
  static void start(WireMockServer wireMock) {
    upstream = wireMock;
    traces = new Traces();
    // the caller closes what a node traces into (NodeTracing.using): after both nodes, which may end spans as they stop
    openfusion.onClose("the trace exporter", traces::close);
    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    OpenFusionConfig config = recipe.withServer(recipe.server().withHost("127.0.0.1").withPort(0));
    ClusterSettings cluster = InJvmCluster.loopback(29_000);
    RunningNode api = openfusion.start(new NodeOptions(config, EnumSet.of(Role.API, Role.ROUTER), cluster, 1, "traced-a"),
      NodeTracing.using(traces.sdk()));
    nodeA = api.node();
    nodeB = openfusion.start(new NodeOptions(config, EnumSet.of(Role.PANEL, Role.JUDGE), cluster, 1, "traced-b"),
      NodeTracing.using(traces.sdk())).node();
    client = api.client();
    InJvmCluster.awaitFormed(List.of(nodeA, nodeB), 30_000);
    // until B's consumers are known on A, a fused request gets 503 no_workers
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
      .until(() -> client.post("/v1/chat/completions", Client.chat("openfusion", "ping", false)).statusCode() == 200);
    traces.reset();
    upstream.resetRequests();
  }

  @Test
  void theCallsOnTheWorkerNodeAreChildrenOfTheRunOnTheRouterNode() {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "capital?", true),
      "traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).contains("is Paris.");

    SpanData server = traces.awaitNamed(CLIENT_TRACE, "POST /v1/chat/completions");
    SpanData run = traces.awaitNamed(CLIENT_TRACE, "fusion");
    List<SpanData> calls = List.of(traces.awaitNamed(CLIENT_TRACE, "chat m1"), traces.awaitNamed(CLIENT_TRACE, "chat m2"),
      traces.awaitNamed(CLIENT_TRACE, "chat judge-m"));

    String idA = nodeId(nodeA);
    String idB = nodeId(nodeB);
    assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(run.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(string(run, "openfusion.node")).isEqualTo(idA);
    for (SpanData call : calls) {
      assertThat(call.getParentSpanId()).as(call.getName()).isEqualTo(run.getSpanId());
      assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(string(call, "openfusion.node")).as("the node that made " + call.getName()).isEqualTo(idB);
      assertThat(string(call, "gen_ai.request.model")).isNotNull();
      assertThat(string(call, "gen_ai.response.model")).isEqualTo(string(call, "gen_ai.request.model"));
      String sent = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.model", equalTo(string(call, "gen_ai.request.model")))))
        .get(0).getHeader("traceparent");
      assertThat(sent).isEqualTo("00-" + CLIENT_TRACE + "-" + call.getSpanId() + "-01");
    }
    assertThat(traces.of(CLIENT_TRACE)).as("one server span, one run, three calls: no span per bus message").hasSize(5);
  }

  private static String nodeId(Node node) {
    return ((VertxInternal) node.vertx()).clusterManager().getNodeId();
  }
}
