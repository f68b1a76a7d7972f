package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge of {@code /v1/messages} and {@code /v1/responses} over plain HTTP: the gateway key in either header, every
 * error in its API's own shape (validation, the key check, the body limit, the router's refusals, an upstream's
 * failure, in a stream too), and nothing reaching an upstream for a request refused at the edge.
 */
class OtherApisEdgeTest {

  private static final String KEY = "gw-edge-key";
  /** Small enough that a pass-through asking for more output tokens is refused by the router before any call. */
  private static final long TOKENS_PER_MINUTE = 2_000;

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m").toBuilder().gatewayKeys(List.of(KEY))
      .limits(LimitsConfig.unlimited().withTokensPerMinute(TOKENS_PER_MINUTE))
      .server(new ServerConfig("127.0.0.1", 0, 64 * 1024)).build())
    .build();

  private static HttpRequest<Buffer> messages(String path) {
    return openfusion.client().web().post(path).putHeader("x-api-key", KEY).putHeader("anthropic-version", "2023-06-01");
  }

  private static HttpRequest<Buffer> responses() {
    return openfusion.client().web().post("/v1/responses").putHeader("Authorization", "Bearer " + KEY);
  }

  private static JsonObject message(String model, int maxTokens, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", maxTokens).put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Capital of France?")));
  }

  private static JsonObject response(String model, boolean stream) {
    return new JsonObject().put("model", model).put("input", "Capital of France?").put("stream", stream)
      .put("max_output_tokens", 64);
  }

  /** {@code {"type":"error","error":{"type":..., "message":...}}} and its error type. */
  private static String anthropicError(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("message")).isNotBlank();
    assertThat(body.containsKey("code")).isFalse();
    return body.getJsonObject("error").getString("type");
  }

  private static JsonObject openAiError(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  private static List<String> eventNames(String sse) {
    List<String> names = new ArrayList<>();
    SseParser parser = SseParser.create(1 << 20, e -> names.add(e.event()));
    parser.handle(Buffer.buffer(sse));
    parser.end();
    return names;
  }

  @Test
  void theGatewayKeyIsTakenFromXApiKeyOrBearerAndItsAbsenceIsEachApisOwn401(WireMockServer upstream, WebClient web) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "Paris.", 3, 1)));

    HttpResponse<Buffer> noKey = web.post("/v1/messages").sendJsonObject(message("gpt-x", 64, false)).await();
    HttpResponse<Buffer> wrongKey = web.post("/v1/messages").putHeader("x-api-key", "nope")
      .sendJsonObject(message("gpt-x", 64, false)).await();
    HttpResponse<Buffer> noKeyResponses = web.post("/v1/responses").sendJsonObject(response("gpt-x", false)).await();

    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(anthropicError(noKey)).isEqualTo("authentication_error");
    assertThat(noKey.getHeader("request-id")).isNotBlank();
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(noKeyResponses.statusCode()).isEqualTo(401);
    assertThat(openAiError(noKeyResponses).getString("code")).isEqualTo("invalid_api_key");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));

    HttpResponse<Buffer> withXApiKey = messages("/v1/messages").sendJsonObject(message("gpt-x", 64, false)).await();
    HttpResponse<Buffer> withBearer = web.post("/v1/messages").putHeader("Authorization", "Bearer " + KEY)
      .sendJsonObject(message("gpt-x", 64, false)).await();
    HttpResponse<Buffer> withXApiKeyOnResponses = web.post("/v1/responses").putHeader("x-api-key", KEY)
      .sendJsonObject(response("gpt-x", false)).await();

    assertThat(withXApiKey.statusCode()).isEqualTo(200);
    assertThat(withXApiKey.bodyAsJsonObject().getString("type")).isEqualTo("message");
    assertThat(withBearer.statusCode()).isEqualTo(200);
    assertThat(withXApiKeyOnResponses.statusCode()).isEqualTo(200);
    assertThat(withXApiKeyOnResponses.bodyAsJsonObject().getString("object")).isEqualTo("response");
  }

  @Test
  void badMessagesRequestsAreAnthropicErrors(WireMockServer upstream) {
    HttpResponse<Buffer> noMaxTokens = messages("/v1/messages").sendJsonObject(message("gpt-x", 64, false)
      .copy().put("max_tokens", (Object) null)).await();
    HttpResponse<Buffer> badJson = messages("/v1/messages").putHeader("content-type", "application/json")
      .sendBuffer(Buffer.buffer("{nope")).await();
    HttpResponse<Buffer> tooLarge = messages("/v1/messages").sendJsonObject(message("gpt-x", 64, false)
      .put("system", "x".repeat(70 * 1024))).await();
    HttpResponse<Buffer> badRole = messages("/v1/messages/count_tokens").sendJsonObject(new JsonObject()
      .put("model", "openfusion").put("messages", new JsonArray().add(new JsonObject().put("role", "robot")
        .put("content", "x")))).await();

    assertThat(noMaxTokens.statusCode()).isEqualTo(400);
    assertThat(anthropicError(noMaxTokens)).isEqualTo("invalid_request_error");
    assertThat(noMaxTokens.bodyAsJsonObject().getJsonObject("error").getString("message")).startsWith("max_tokens");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(anthropicError(badJson)).isEqualTo("invalid_request_error");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(anthropicError(tooLarge)).isEqualTo("request_too_large");
    assertThat(badRole.statusCode()).isEqualTo(400);
    assertThat(anthropicError(badRole)).isEqualTo("invalid_request_error");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void badResponsesRequestsAreOpenAiErrors(WireMockServer upstream) {
    HttpResponse<Buffer> noInput = responses().sendJsonObject(new JsonObject().put("model", "gpt-x")).await();
    HttpResponse<Buffer> builtIn = responses().sendJsonObject(response("gpt-x", false).put("tools",
      new JsonArray().add(new JsonObject().put("type", "file_search")))).await();

    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(openAiError(noInput).getString("code")).isEqualTo("invalid_messages");
    assertThat(builtIn.statusCode()).isEqualTo(400);
    assertThat(openAiError(builtIn).getString("code")).isEqualTo("unsupported_parameter");
    assertThat(openAiError(builtIn).getString("message")).contains("file_search");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void aRouterRefusalIsA429InEachApisShapeStreamedOrNot(WireMockServer upstream) {
    long tooMany = TOKENS_PER_MINUTE * 4;
    HttpResponse<Buffer> message = messages("/v1/messages").sendJsonObject(message("gpt-x", (int) tooMany, false)).await();
    HttpResponse<Buffer> streamedMessage = messages("/v1/messages").sendJsonObject(message("gpt-x", (int) tooMany, true)).await();
    HttpResponse<Buffer> streamedResponse = responses().sendJsonObject(response("gpt-x", true)
      .put("max_output_tokens", tooMany)).await();

    assertThat(message.statusCode()).isEqualTo(429);
    assertThat(anthropicError(message)).isEqualTo("rate_limit_error");
    assertThat(streamedMessage.statusCode()).isEqualTo(429);
    assertThat(anthropicError(streamedMessage)).isEqualTo("rate_limit_error");
    assertThat(streamedResponse.statusCode()).isEqualTo(429);
    assertThat(openAiError(streamedResponse).getString("code")).isEqualTo("token_rate_limit_exceeded");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void aStreamThatBreaksEndsInEachApisFailureEvents(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(aResponse().withStatus(200)
      .withHeader("Content-Type", "text/event-stream")
      .withBody(Upstreams.sseBody("gpt-x", List.of("half an ", "answer"), 3, 2, false))));

    HttpResponse<Buffer> message = messages("/v1/messages").sendJsonObject(message("gpt-x", 64, true)).await();
    HttpResponse<Buffer> response = responses().sendJsonObject(response("gpt-x", true)).await();

    assertThat(message.statusCode()).isEqualTo(200);
    assertThat(message.getHeader("content-type")).startsWith("text/event-stream");
    List<String> anthropic = eventNames(message.bodyAsString());
    assertThat(anthropic).startsWith("message_start", "content_block_start").endsWith("error")
      .doesNotContain("message_stop");
    // neither the chat stream's [DONE] nor its comments
    assertThat(message.bodyAsString().lines()).noneMatch(line -> line.startsWith(":") || line.equals("data: [DONE]"));
    List<String> openAi = eventNames(response.bodyAsString());
    assertThat(openAi).startsWith("response.created", "response.in_progress").endsWith("error", "response.failed")
      .doesNotContain("response.completed");
    assertThat(response.bodyAsString().lines()).noneMatch(line -> line.equals("data: [DONE]"));
  }
}
