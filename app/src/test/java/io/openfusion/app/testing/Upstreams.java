package io.openfusion.app.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** WireMock upstreams speaking the OpenAI chat-completions protocol, and recipes pointing at them. */
public final class Upstreams {

  public static final String KEY = "sk-test-upstream-key";

  private Upstreams() {
  }

  public static WireMockServer start() {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    return server;
  }

  public static String baseUrl(WireMockServer server) {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  /** A panel recipe: members {@code models} and judge {@code judge}, all on {@code server}. */
  public static OpenFusionConfig panelRecipe(WireMockServer server, List<String> models, String judge) {
    String url = baseUrl(server);
    return OpenFusionConfig.builder()
      .strategy(Strategy.PANEL)
      .panel(models.stream().map(m -> new UpstreamConfig(url, KEY, m, null, Provider.OPENAI)).toList())
      .judge(new JudgeConfig(new UpstreamConfig(url, KEY, judge, null, Provider.OPENAI), 120_000))
      .build();
  }

  /**
   * The usual fused answer on {@link #panelRecipe panelRecipe(server, [m1, m2], judge-m)}: m1 answers with 10/5 tokens
   * and m2 with 12/4, and judge-m streams "The capital is Paris." in two pieces with a usage chunk of 100/7.
   */
  public static void stubFusion(WireMockServer server) {
    server.stubFor(call("m1").willReturn(answer("m1", "Paris is the capital.", 10, 5)));
    server.stubFor(call("m2").willReturn(answer("m2", "It is Paris.", 12, 4)));
    server.stubFor(call("judge-m").willReturn(streamed("judge-m", List.of("The capital ", "is Paris."), 100, 7)));
  }

  /** Matches the call for {@code model}. */
  public static MappingBuilder call(String model) {
    return post("/v1/chat/completions").withRequestBody(matchingJsonPath("$.model", equalTo(model)));
  }

  /** A non-streamed completion answering {@code content}. */
  public static ResponseDefinitionBuilder answer(String model, String content, int promptTokens, int completionTokens) {
    JsonObject body = new JsonObject()
      .put("id", "cmpl-" + model)
      .put("object", "chat.completion")
      .put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", content)).put("finish_reason", "stop")))
      .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens));
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.encode());
  }

  /** A streamed answer: one chunk per piece, a finish chunk, a usage chunk, [DONE]. */
  public static ResponseDefinitionBuilder streamed(String model, List<String> pieces, int promptTokens, int completionTokens) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
      .withBody(sseBody(model, pieces, promptTokens, completionTokens, true));
  }

  public static String sseBody(String model, List<String> pieces, int promptTokens, int completionTokens, boolean done) {
    StringBuilder sse = new StringBuilder();
    boolean first = true;
    for (String piece : pieces) {
      JsonObject delta = new JsonObject().put("content", piece);
      if (first) {
        delta.put("role", "assistant");
        first = false;
      }
      sse.append("data: ").append(chunk(model, delta, null).encode()).append("\n\n");
    }
    sse.append("data: ").append(chunk(model, new JsonObject(), "stop").encode()).append("\n\n");
    JsonObject usage = new JsonObject().put("id", "s").put("object", "chat.completion.chunk").put("model", model)
      .put("choices", new JsonArray())
      .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens));
    sse.append("data: ").append(usage.encode()).append("\n\n");
    if (done) {
      sse.append("data: [DONE]\n\n");
    }
    return sse.toString();
  }

  public static JsonObject chunk(String model, JsonObject delta, String finish) {
    return new JsonObject().put("id", "s").put("object", "chat.completion.chunk").put("created", 1).put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish)));
  }

  /** A non-streamed answer that calls one function tool. */
  public static ResponseDefinitionBuilder toolCall(String model, String callId, String name, String arguments) {
    JsonObject call = new JsonObject().put("id", callId).put("type", "function")
      .put("function", new JsonObject().put("name", name).put("arguments", arguments));
    JsonObject body = new JsonObject()
      .put("id", "cmpl-" + model)
      .put("object", "chat.completion")
      .put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray().add(call)))
        .put("finish_reason", "tool_calls")))
      .put("usage", new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 8).put("total_tokens", 28));
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.encode());
  }

  /** A streamed answer that calls one function tool, its arguments in two pieces, then usage and [DONE]. */
  public static ResponseDefinitionBuilder streamedToolCall(String model, String callId, String name, String argumentsHead,
                                                           String argumentsTail) {
    JsonObject first = new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
      .put("index", 0).put("id", callId).put("type", "function")
      .put("function", new JsonObject().put("name", name).put("arguments", argumentsHead))));
    JsonObject second = new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
      .put("index", 0).put("function", new JsonObject().put("arguments", argumentsTail))));
    JsonObject usage = new JsonObject().put("id", "s").put("object", "chat.completion.chunk").put("model", model)
      .put("choices", new JsonArray())
      .put("usage", new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 8).put("total_tokens", 28));
    String sse = "data: " + chunk(model, first, null).encode() + "\n\n"
      + "data: " + chunk(model, second, null).encode() + "\n\n"
      + "data: " + chunk(model, new JsonObject(), "tool_calls").encode() + "\n\n"
      + "data: " + usage.encode() + "\n\n"
      + "data: [DONE]\n\n";
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(sse);
  }

  /** An OpenAI-style error response. */
  public static ResponseDefinitionBuilder error(int status, String message) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
      .withBody(new JsonObject().put("error", new JsonObject().put("message", message).put("type", "error")).encode());
  }
}
