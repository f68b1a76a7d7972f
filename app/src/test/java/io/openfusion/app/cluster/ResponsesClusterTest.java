package io.openfusion.app.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered nodes: a response stored by one node's api is continued ({@code previous_response_id}), read and
 * deleted through the other, because stored responses live in the cluster's map; another caller never sees it.
 */
@Tag("cluster")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResponsesClusterTest {

  private static final String KEY = "gw-responses";
  private static final String OTHER_KEY = "gw-someone-else";

  @RegisterExtension
  static final NodeExtension<WireMockServer> cluster = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m").withGatewayKeys(List.of(KEY, OTHER_KEY)))
    .cluster(2, "responses-node-", 25_000)
    .build();

  private static HttpResponse<Buffer> create(int node, String key, JsonObject body) {
    return cluster.client(node).web().post("/v1/responses")
      .putHeader("Authorization", "Bearer " + key).sendJsonObject(body).await();
  }

  @Test
  void aResponseStoredOnOneNodeIsContinuedReadAndDeletedOnAnother(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "Paris.", 5, 1)));
    HttpResponse<Buffer> first = create(0, KEY, new JsonObject().put("model", "gpt-x").put("input", "Capital of France?"));
    assertThat(first.statusCode()).isEqualTo(200);
    String id = first.bodyAsJsonObject().getString("id");

    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "Madrid.", 9, 1)));
    HttpResponse<Buffer> second = create(1, KEY, new JsonObject().put("model", "gpt-x").put("input", "And Spain?")
      .put("previous_response_id", id));
    HttpResponse<Buffer> stranger = create(1, OTHER_KEY, new JsonObject().put("model", "gpt-x").put("input", "And Spain?")
      .put("previous_response_id", id));

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("output_text")).isEqualTo("Madrid.");
    var requests = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
    JsonArray messages = new JsonObject(requests.get(requests.size() - 1).getBodyAsString()).getJsonArray("messages");
    assertThat(messages).extracting(m -> ((JsonObject) m).getString("content"))
      .containsExactly("Capital of France?", "Paris.", "And Spain?");
    assertThat(stranger.statusCode()).isEqualTo(400);
    assertThat(stranger.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("previous_response_not_found");

    HttpResponse<Buffer> read = cluster.client(1).web().get("/v1/responses/" + id)
      .putHeader("Authorization", "Bearer " + KEY).send().await();
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getString("output_text")).isEqualTo("Paris.");
    HttpResponse<Buffer> deleted = cluster.client(1).web().delete("/v1/responses/" + id)
      .putHeader("Authorization", "Bearer " + KEY).send().await();
    assertThat(deleted.bodyAsJsonObject().getBoolean("deleted")).isTrue();
    HttpResponse<Buffer> gone = cluster.client(0).web().get("/v1/responses/" + id)
      .putHeader("Authorization", "Bearer " + KEY).send().await();
    assertThat(gone.statusCode()).isEqualTo(404);
  }
}
