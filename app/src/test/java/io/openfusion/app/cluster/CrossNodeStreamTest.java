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
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams between nodes: node A runs the api alone, node B the router, the panel and the judge, so every part of a
 * client's stream (with its credit) crosses the cluster from B's router to A's api, encoded on the wire, and the
 * judge's text reaches the router on B. Both streams arrive whole, and neither node keeps a stream end open afterwards.
 */
@Tag("cluster")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CrossNodeStreamTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .stubs(upstream -> {
      Upstreams.stubFusion(upstream);
      upstream.stubFor(Upstreams.call("gpt-x")
        .willReturn(Upstreams.streamed("gpt-x", List.of("one ", "two ", "three"), 5, 3)));
    })
    .build();

  private static Node edge;
  private static Node workers;
  private static Client client;

  @BeforeAll
  static void start(WireMockServer upstream) {
    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    OpenFusionConfig config = recipe.withServer(recipe.server().withHost("127.0.0.1").withPort(0));
    ClusterSettings cluster = InJvmCluster.loopback(29_000);
    RunningNode api = openfusion.start(new NodeOptions(config, EnumSet.of(Role.API), cluster, 1, "edge-a"));
    edge = api.node();
    workers = openfusion.start(new NodeOptions(config, EnumSet.of(Role.ROUTER, Role.PANEL, Role.JUDGE), cluster, 1,
      "workers-b")).node();
    client = api.client();
    InJvmCluster.awaitFormed(List.of(edge, workers), 30_000);
    // until the router's consumers are known on the api's node, a request gets 503 no_workers
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
      .until(() -> client.post("/v1/chat/completions", Client.chat("openfusion", "ping", false)).statusCode() == 200);
  }

  @Test
  void aFusedStreamCrossesTheClusterWhole() {
    assertStreamedWhole(Client.chat("openfusion", "capital?", true), "The capital is Paris.");
  }

  @Test
  void aPassedThroughStreamCrossesTheClusterWhole() {
    assertStreamedWhole(Client.chat("gpt-x", "count", true), "one two three");
  }

  private static void assertStreamedWhole(JsonObject request, String content) {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", request);

    assertThat(response.statusCode()).isEqualTo(200);
    List<Sse.Frame> events = Sse.parse(response.bodyAsString());
    assertThat(Sse.content(events)).isEqualTo(content);
    assertThat(Sse.shape(events)).last().isEqualTo("[DONE]");
    // every stream end (the api's receivers on one node, the router's and the judge's on the other) closed
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(StreamPost.openStreams(edge.vertx())).as("the api's node").isZero();
      assertThat(StreamPost.openStreams(workers.vertx())).as("the workers' node").isZero();
    });
  }
}
