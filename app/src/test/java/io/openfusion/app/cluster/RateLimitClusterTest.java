package io.openfusion.app.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.InJvmCluster;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.limits.HazelcastRateLimiter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.openfusion.app.testing.Pause.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three clustered nodes in one JVM, each running every role. One gateway key sends a burst of
 * concurrent pass-through requests spread over the three api ports: the rate limit holds exactly
 * cluster-wide, because every node counts in the same IMap window.
 */
@Tag("cluster")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RateLimitClusterTest {

  private static final int NODES = 3;
  private static final int LIMIT = 20;
  private static final int BURST = 60;
  private static final String KEY = "gw-burst";
  /** Readiness probes use their own key, so they never use up the burst's window. */
  private static final String PROBE_KEY = "gw-probe";

  @RegisterExtension
  static final NodeExtension<WireMockServer> cluster = NodeExtension.wireMock()
    .stubs(upstream -> upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1))))
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m").toBuilder().limits(new LimitsConfig(0, LIMIT))
      .build().withGatewayKeys(List.of(KEY, PROBE_KEY)))
    .cluster(NODES, "rl-node-", 28_000)
    .maxConnections(BURST)
    .build();

  /** Waits until every node answers a pass-through request (the cluster itself has formed by now). */
  @BeforeAll
  static void awaitEveryNodeAnswers() {
    for (int node = 0; node < NODES; node++) {
      int status = -1;
      for (int attempt = 0; attempt < 5 && status != 200; attempt++) {
        status = post(node, PROBE_KEY).await().statusCode();
        if (status != 200) {
          sleep(200);
        }
      }
      assertThat(status).as("probe on node " + cluster.node(node).options().metricsRegistry()).isEqualTo(200);
    }
  }

  private static Future<HttpResponse<Buffer>> post(int node, String key) {
    return cluster.client(node).web().post("/v1/chat/completions").putHeader("Authorization", "Bearer " + key)
      .sendJsonObject(Client.chat("gpt-x", "hi", false));
  }

  /** The burst must fall in one window: with less than 15 s left in this minute, wait for the next. */
  private static void awaitRoomInTheWindow() {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 45_000) {
      sleep(60_000 - intoMinute + 250);
    }
  }

  @Test
  void concurrentRequestsOverThreeNodesAdmitExactlyTheLimit(WireMockServer upstream) {
    awaitRoomInTheWindow();
    upstream.resetRequests();

    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      burst.add(post(i % NODES, KEY));
    }
    Future.join(burst).await();

    List<HttpResponse<Buffer>> responses = burst.stream().map(Future::result).toList();
    List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
    assertThat(statuses).as("statuses of the burst").filteredOn(s -> s == 200).hasSize(LIMIT);
    assertThat(statuses).as("statuses of the burst").filteredOn(s -> s == 429).hasSize(BURST - LIMIT);
    List<HttpResponse<Buffer>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
    for (HttpResponse<Buffer> response : limited) {
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(error.getString("message")).startsWith("Rate limit exceeded: " + LIMIT + " requests per minute; retry after ");
      assertThat(Long.parseLong(response.getHeader("Retry-After"))).isBetween(1L, 60L);
    }
    // refused requests never reached the upstream
    upstream.verify(LIMIT, postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo("gpt-x"))));

    // the window lives in the shared IMap with a TTL, so it expires by itself
    IMap<String, Integer> windows = InJvmCluster.hazelcast(cluster.node(0)).getMap(HazelcastRateLimiter.MAP);
    List<EntryView<String, Integer>> full = windows.keySet().stream()
      .map(windows::getEntryView)
      .filter(v -> v != null && v.getValue() == LIMIT)
      .toList();
    assertThat(full).hasSize(1);
    assertThat(full.get(0).getKey()).startsWith("rl:key:");
    assertThat(full.get(0).getTtl()).isBetween(1L, 66_000L);
  }
}
