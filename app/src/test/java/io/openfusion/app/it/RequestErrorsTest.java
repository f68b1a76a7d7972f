package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error a client can cause is the OpenAI envelope with a stable code, and never reaches an upstream. */
class RequestErrorsTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m")
      .withServer(new ServerConfig("127.0.0.1", 0, 64 * 1024)))
    // nothing may reach the upstream all class long
    .noReset()
    .build();

  private static JsonObject error(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(delimiter = '|', value = {
    "{bad json                                                    | 400 | invalid_json",
    "[1,2]                                                        | 400 | invalid_body",
    "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}       | 400 | invalid_model",
    "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_model",
    "{\"model\":\"openfusion\"}                                   | 400 | invalid_messages",
    "{\"model\":\"openfusion\",\"messages\":[]}                   | 400 | invalid_messages",
    "{\"model\":\"openfusion\",\"messages\":[\"hi\"]}             | 400 | invalid_messages",
    "{\"model\":\"openfusion\",\"messages\":[{\"content\":\"x\"}]} | 400 | invalid_messages",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":\"5\"} | 400 | invalid_max_tokens",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}     | 400 | invalid_max_tokens",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":-3}    | 400 | invalid_max_tokens",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":true}  | 400 | invalid_max_tokens",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":2.5}   | 400 | invalid_max_tokens",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}  | 400 | invalid_parameter",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"openfusion\":5}     | 400 | invalid_override",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"openfusion\":{}}    | 400 | overrides_disabled",
    "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}              | 400 | invalid_parameter",
    "{\"model\":\"openfusion\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":3} | 400 | invalid_parameter",
  })
  void badRequestsGetA400Envelope(String body, int status, String code, WireMockServer upstream, Client client) {
    HttpResponse<Buffer> response = client.postRaw("/v1/chat/completions", Buffer.buffer(body.strip()), "application/json");

    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject error = error(response);
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(upstream.getAllServeEvents()).isEmpty();
  }

  @Test
  void invalidUtf8IsA400NotA500(Client client) {
    Buffer body = Buffer.buffer("{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"")
      .appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28}).appendString("\"}]}");
    HttpResponse<Buffer> response = client.postRaw("/v1/chat/completions", body, "application/json");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).getString("code")).isEqualTo("invalid_json");
  }

  @Test
  void oversizedBodyIs413(Client client) {
    String big = "x".repeat(70 * 1024);
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", big, false));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response).getString("code")).isEqualTo("request_too_large");
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405(Client client) {
    HttpResponse<Buffer> missing = client.get("/v1/nothing-here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error(missing).getString("code")).isEqualTo("not_found");

    HttpResponse<Buffer> wrongMethod = client.request(HttpMethod.DELETE, "/v1/chat/completions");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(error(wrongMethod).getString("code")).isEqualTo("method_not_allowed");
  }

  @Test
  void infoRoutesDescribeTheRecipeWithoutSecrets(Client client) {
    JsonObject models = client.get("/v1/models").bodyAsJsonObject();
    JsonArray data = models.getJsonArray("data");
    assertThat(data.getJsonObject(0).getString("id")).isEqualTo("openfusion");
    assertThat(data.stream().map(o -> ((JsonObject) o).getString("id")).distinct().count()).isEqualTo(data.size());

    HttpResponse<Buffer> config = client.get("/v1/config");
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.bodyAsJsonObject().getJsonArray("panel")).containsExactly("m1");
    assertThat(config.bodyAsJsonObject().containsKey("max_override_tokens")).isTrue();
    assertThat(config.bodyAsString()).doesNotContain(Upstreams.KEY).doesNotContain("127.0.0.1");

    assertThat(client.get("/healthz").bodyAsJsonObject().getString("status")).isEqualTo("ok");
    HttpResponse<Buffer> root = client.get("/");
    assertThat(root.statusCode()).isIn(200, 307);
  }

  @Test
  void requestIdIsEchoedOrGenerated(Client client) {
    HttpResponse<Buffer> response = client.get("/healthz");
    assertThat(response.getHeader("X-Request-Id")).isNotBlank();
  }
}
