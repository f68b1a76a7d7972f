package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.config.Strategy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Gateway keys on every /v1 route, same-origin by default, protected metrics, and no client-chosen URLs. */
class SecurityTest {

  private static final String GATEWAY_KEY = "team-key-123";
  private static final String ALLOWED_ORIGIN = "https://app.example";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> {
      OpenFusionConfig base = Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m");
      ServerConfig server = new ServerConfig("127.0.0.1", 0, 1 << 20, 1_000, List.of(ALLOWED_ORIGIN), true, true, 0, false);
      return base.toBuilder().strategy(Strategy.PANEL).allowRequestOverrides(true)
        .gatewayKeys(List.of(GATEWAY_KEY)).server(server).build();
    })
    .build();

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return body == null ? request.send().await() : request.sendJsonObject(body).await();
  }

  @Test
  void everyV1RouteNeedsAGatewayKey(WebClient web) {
    JsonObject chat = new JsonObject().put("model", "openfusion").put("messages",
      new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    List<HttpRequest<Buffer>> routes = List.of(web.get("/v1/models"), web.get("/v1/config"), web.get("/v1/routing/outcomes"),
      web.get("/v1/cluster"),
      web.post("/v1/estimate"), web.post("/v1/runtime/api-key"), web.post("/v1/chat/completions"));
    for (HttpRequest<Buffer> route : routes) {
      HttpResponse<Buffer> response = send(route, chat);
      assertThat(response.statusCode()).as(route.uri()).isEqualTo(401);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_api_key");
    }
    // a prefix of the key is not the key
    assertThat(send(web.get("/v1/models").bearerTokenAuthentication(GATEWAY_KEY.substring(0, 5)), null).statusCode()).isEqualTo(401);
    assertThat(send(web.get("/v1/models").bearerTokenAuthentication(GATEWAY_KEY), null).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCanBeKeptBehindTheGatewayKeys(WebClient web) {
    assertThat(send(web.get("/metrics"), null).statusCode()).isEqualTo(401);
    assertThat(send(web.get("/metrics").bearerTokenAuthentication(GATEWAY_KEY), null).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyConfiguredOriginsGetCorsHeaders(WebClient web) {
    HttpResponse<Buffer> allowed = send(web.request(HttpMethod.OPTIONS, "/v1/models").putHeader("Origin", ALLOWED_ORIGIN)
      .putHeader("Access-Control-Request-Method", "GET"), null);
    assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);

    HttpResponse<Buffer> other = send(web.get("/v1/models").putHeader("Origin", "https://evil.example")
      .bearerTokenAuthentication(GATEWAY_KEY), null);
    assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void aModelIdThatLooksLikeAUrlStillGoesToTheConfiguredUpstream(WireMockServer upstream, WebClient web) {
    upstream.stubFor(Upstreams.call("http://169.254.169.254/latest").willReturn(Upstreams.answer("x", "a", 1, 1)));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("ok"), 1, 1)));
    JsonObject request = new JsonObject().put("model", "openfusion").put("messages",
        new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
      .put("openfusion", new JsonObject().put("panel", new JsonArray().add("http://169.254.169.254/latest")));

    HttpResponse<Buffer> response = send(web.post("/v1/chat/completions").bearerTokenAuthentication(GATEWAY_KEY), request);

    assertThat(response.statusCode()).isEqualTo(200);
    // the "URL" was only ever a model id sent to the configured upstream, with the server's key
    upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", equalTo("http://169.254.169.254/latest")))
      .withHeader("Authorization", equalTo("Bearer " + Upstreams.KEY)));
  }
}
