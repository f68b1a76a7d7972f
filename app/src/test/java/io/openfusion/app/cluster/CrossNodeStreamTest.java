package io.openfusion.app.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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

  private static final long READY_TIMEOUT_MS = 30_000;

  private static WireMockServer upstream;
  private static Node nodeA;
  private static Node nodeB;
  private static Client client;

  @BeforeAll
  static void start() {
    upstream = Upstreams.start();
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris is the capital.", 10, 5)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
    upstream.stubFor(Upstreams.call("judge-m")
      .willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "is ", "Paris."), 100, 7)));
    upstream.stubFor(Upstreams.call("gpt-x")
      .willReturn(Upstreams.streamed("gpt-x", List.of("one ", "two ", "three"), 5, 3)));
    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    OpenFusionConfig config = recipe.withServer(recipe.server().withHost("127.0.0.1").withPort(0));
    ClusterSettings cluster = new ClusterSettings("openfusion-test-" + UUID.randomUUID(), List.of("127.0.0.1"),
      29_000 + ThreadLocalRandom.current().nextInt(0, 901), "127.0.0.1");
    nodeA = Node.start(new NodeOptions(config, EnumSet.of(Role.API), cluster, 1, "edge-a")).await();
    nodeB = Node.start(new NodeOptions(config, EnumSet.of(Role.ROUTER, Role.PANEL, Role.JUDGE), cluster, 1,
      "workers-b")).await();
    client = Client.create(nodeA.httpPort(), false, 0);
    awaitRouterReachableFromA();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    for (Node node : new Node[] {nodeA, nodeB}) {
      if (node != null) {
        node.close().await();
      }
    }
    if (upstream != null) {
      upstream.stop();
    }
  }

  @Test
  void aFusedStreamCrossesTheClusterWhole() {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "capital?", true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<Sse.Frame> events = Sse.parse(response.bodyAsString());
    assertThat(Sse.content(events)).isEqualTo("The capital is Paris.");
    assertThat(Sse.shape(events)).last().isEqualTo("[DONE]");
    awaitNoStreamOpen();
  }

  @Test
  void aPassedThroughStreamCrossesTheClusterWhole() {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("gpt-x", "count", true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<Sse.Frame> events = Sse.parse(response.bodyAsString());
    assertThat(Sse.content(events)).isEqualTo("one two three");
    assertThat(Sse.shape(events)).last().isEqualTo("[DONE]");
    awaitNoStreamOpen();
  }

  /** Every stream end (the api's receivers on A, the router's senders and receivers, the judge's senders on B) closed. */
  private static void awaitNoStreamOpen() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(StreamPost.openStreams(nodeA.vertx())).as("node A").isZero();
      assertThat(StreamPost.openStreams(nodeB.vertx())).as("node B").isZero();
    });
  }

  private static int members(Node node) {
    return ((VertxInternal) node.vertx()).clusterManager().getNodes().size();
  }

  /** Until B's router is known on A, a request gets 503 no_workers. */
  private static void awaitRouterReachableFromA() {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    int last = -1;
    while (System.currentTimeMillis() < deadline) {
      if (members(nodeA) == 2 && members(nodeB) == 2) {
        last = client.post("/v1/chat/completions", Client.chat("openfusion", "ping", false)).statusCode();
        if (last == 200) {
          return;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError("node B's router never became reachable from node A (last status " + last + ")");
  }
}
