package io.openfusion.embedded;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * An OpenAI-compatible upstream on WireMock: every model answers "answer from &lt;model&gt;" with 10 prompt and 5
 * completion tokens costing $0.001, streamed when asked; a model named {@code failing*} answers 500.
 */
final class FakeUpstream {

  static final String KEY = "sk-fake-upstream";
  static final double COST = 0.001;

  private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

  FakeUpstream start() {
    server.start();
    return this;
  }

  void stop() {
    server.stop();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  /** Stubs {@code model}: a completion, or an SSE stream when the request asks for one. */
  void model(String model) {
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
      .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
      .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
      .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(sse(model))));
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(2)
      .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
      .willReturn(completion(model)));
  }

  /** Stubs {@code model} to stream one chunk and stop, without a finish or {@code [DONE]}: a stream cut short. */
  void cut(String model) {
    JsonObject text = chunk(model, new JsonObject().put("role", "assistant").put("content", "half an answ"), null);
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
      .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
      .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody("data: " + text.encode() + "\n\n")));
  }

  /** Stubs {@code model} to fail with a 500. */
  void failing(String model) {
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
      .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
      .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
        .withBody(new JsonObject().put("error", new JsonObject().put("message", "upstream broke")
          .put("type", "server_error")).encode())));
  }

  /** The models called so far, in arrival order. */
  List<String> modelsCalled() {
    return server.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).stream()
      .map(LoggedRequest::getBodyAsString).map(body -> new JsonObject(body).getString("model")).toList();
  }

  void reset() {
    server.resetRequests();
  }

  private static JsonObject usage() {
    return new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15).put("cost", COST);
  }

  private static ResponseDefinitionBuilder completion(String model) {
    JsonObject body = new JsonObject().put("id", "cmpl-" + model).put("object", "chat.completion").put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant").put("content", "answer from " + model))))
      .put("usage", usage());
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.encode());
  }

  private static String sse(String model) {
    JsonObject text = chunk(model, new JsonObject().put("role", "assistant").put("content", "answer from " + model), null);
    JsonObject finish = chunk(model, new JsonObject(), "stop");
    JsonObject usage = new JsonObject().put("id", "s").put("object", "chat.completion.chunk").put("model", model)
      .put("choices", new JsonArray()).put("usage", usage());
    return "data: " + text.encode() + "\n\n" + "data: " + finish.encode() + "\n\n" + "data: " + usage.encode() + "\n\n"
      + "data: [DONE]\n\n";
  }

  private static JsonObject chunk(String model, JsonObject delta, String finish) {
    return new JsonObject().put("id", "s").put("object", "chat.completion.chunk").put("created", 1).put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish)));
  }
}
