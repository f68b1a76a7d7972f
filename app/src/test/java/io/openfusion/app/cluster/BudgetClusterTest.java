package io.openfusion.app.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.hazelcast.map.IMap;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.InJvmCluster;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.router.cache.HazelcastResponseCache;
import io.openfusion.shared.config.BudgetConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ResponseCacheConfig;
import io.openfusion.shared.identity.CallerIds;
import io.openfusion.shared.limits.HazelcastTokenLedger;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.openfusion.app.testing.Pause.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered nodes in one JVM, each running every role. Requests alternate between the two api
 * nodes, and the event bus spreads them over both routers: the token budget, the response cache and
 * the Auto Router's outcomes hold across both, because they live in the cluster's maps.
 */
@Tag("cluster")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BudgetClusterTest {

  private static final int NODES = 2;
  private static final String BUDGET_KEY = "gw-budget";
  private static final String OTHER_KEY = "gw-other";
  /** Between 200 and 600 characters with no analytical word: the only balanced prompt of this class. */
  private static final String BALANCED_PROMPT = "Tell me a little about the weather in a small seaside town. ".repeat(5);

  @RegisterExtension
  static final NodeExtension<WireMockServer> cluster = NodeExtension.wireMock()
    .stubs(upstream -> {
      upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));
      upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "answer one", 5, 5)));
      upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("fused"), 20, 3)));
    })
    .node(upstream -> {
      OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m");
      return recipe.toBuilder()
        .limits(recipe.limits().withBudgets(List.of(new BudgetConfig("shared", CallerIds.ofGatewayKey(BUDGET_KEY), 1_000, 0))))
        .responseCache(new ResponseCacheConfig(true, 300, 100))
        .build()
        .withGatewayKeys(List.of(BUDGET_KEY, OTHER_KEY));
    })
    .cluster(NODES, "budget-node-", 27_000)
    .build();

  private static HttpResponse<Buffer> chat(int node, String key, JsonObject body) {
    return cluster.client(node).post("/v1/chat/completions", body, "Authorization", "Bearer " + key);
  }

  @Test
  void theTokenBudgetIsSharedByEveryApiAndRouterNode() {
    JsonObject small = Client.chat("gpt-x", "hi", false);
    // 1 + 900 reserved, 4 used; then 4 + 1 + 990 fits only after the release, wherever the first ran
    assertThat(chat(0, BUDGET_KEY, small.copy().put("max_tokens", 900)).statusCode()).isEqualTo(200);
    assertThat(chat(1, BUDGET_KEY, small.copy().put("max_tokens", 990)).statusCode()).isEqualTo(200);
    // 8 used: 1 + 995 more fits no node's router, since each counts in the same entry
    for (int node = 0; node < NODES; node++) {
      HttpResponse<Buffer> refused = chat(node, BUDGET_KEY, small.copy().put("max_tokens", 995));
      assertThat(refused.statusCode()).as("node " + node).isEqualTo(429);
      assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("budget_exceeded");
      assertThat(refused.getHeader("Retry-After")).isNotNull();
    }
    IMap<String, long[]> ledger = InJvmCluster.hazelcast(cluster.node(1)).getMap(HazelcastTokenLedger.MAP);
    long[] entry = ledger.get("tok:" + CallerIds.ofGatewayKey(BUDGET_KEY));
    assertThat(entry[3]).as("tokens used today, over both nodes").isEqualTo(8);
  }

  @Test
  void anAnswerCachedByOneRouterNodeIsReplayedByTheOther(WireMockServer upstream) {
    JsonObject fusion = Client.chat("openfusion", "compare two things", false);
    HttpResponse<Buffer> first = chat(0, OTHER_KEY, fusion);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getBoolean("cached", false)).isFalse();
    for (int i = 0; i < 4; i++) {
      HttpResponse<Buffer> again = chat(i % NODES, OTHER_KEY, fusion);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(again.bodyAsJsonObject().getBoolean("cached", false)).as("repeat " + i).isTrue();
      assertThat(again.bodyAsJsonObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content")).isEqualTo("fused");
    }
    // the panel ran once for five requests spread over both routers
    upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo("m1"))));
    assertThat(InJvmCluster.hazelcast(cluster.node(0)).getMap(HazelcastResponseCache.MAP).size()).isEqualTo(1);
  }

  @Test
  void whatOneRouterNodeLearnsEveryRouterNodeReports() {
    int sent = 6;
    for (int i = 0; i < sent; i++) {
      assertThat(chat(i % NODES, OTHER_KEY, Client.chat("gpt-x", BALANCED_PROMPT, false)).statusCode()).isEqualTo(200);
    }
    // outcomes are recorded after the reply: wait until the last update landed, then every node reports all of them
    for (int node = 0; node < NODES; node++) {
      long deadline = System.currentTimeMillis() + 10_000;
      long count = 0;
      while (count < sent && System.currentTimeMillis() < deadline) {
        HttpResponse<Buffer> outcomes = cluster.client(node).web().get("/v1/routing/outcomes")
          .putHeader("Authorization", "Bearer " + OTHER_KEY).send().await();
        JsonObject bucket = outcomes.bodyAsJsonObject().getJsonObject("outcomes").getJsonObject("pass_through/balanced");
        count = bucket == null ? 0 : bucket.getLong("count");
        if (count < sent) {
          sleep(100);
        }
      }
      assertThat(count).as("pass-through outcomes node " + node + " reports").isEqualTo(sent);
    }
  }
}
