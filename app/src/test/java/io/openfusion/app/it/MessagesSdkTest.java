package io.openfusion.app.it;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sdks;
import io.openfusion.app.testing.Upstreams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The official Anthropic Java SDK ({@code com.anthropic:anthropic-java}) against a running node: {@code messages()}
 * create, createStreaming and countTokens, fused and passed through, tool use round-tripping, and errors in
 * Anthropic's shape.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessagesSdkTest {

  private static final String ANSWER = "The capital is Paris.";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m"))
    .build();

  private static AnthropicClient sdk;

  @BeforeAll
  static void sdk() {
    sdk = Sdks.anthropic(openfusion);
  }

  private static MessageCreateParams.Builder params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(256).system("Answer briefly.")
      .addUserMessage("Capital of France?");
  }

  private static List<RawMessageStreamEvent> drain(MessageCreateParams params) {
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params)) {
      return stream.stream().toList();
    }
  }

  private static Message accumulate(List<RawMessageStreamEvent> events) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    events.forEach(accumulator::accumulate);
    return accumulator.message();
  }

  private static String text(Message message) {
    return message.content().stream().flatMap(block -> block.text().stream()).map(t -> t.text())
      .reduce("", String::concat);
  }

  private static JsonObject lastRequestTo(String model) {
    var requests = openfusion.upstream().findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", equalTo(model))));
    return new JsonObject(requests.get(requests.size() - 1).getBodyAsString());
  }

  private static Tool weatherTool() {
    return Tool.builder().name("weather").description("Weather in a city")
      .inputSchema(Tool.InputSchema.builder()
        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
        .required(List.of("city"))
        .build())
      .build();
  }

  @Test
  void nonStreamedFusionParsesWithSummedUsage(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    Message message = sdk.messages().create(params("openfusion").build());

    assertThatCode(message::validate).doesNotThrowAnyException();
    assertThat(message.id()).startsWith("msg_");
    assertThat(message.model().asString()).isEqualTo("openfusion");
    assertThat(text(message)).isEqualTo(ANSWER);
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(10 + 12 + 100);
    assertThat(message.usage().outputTokens()).isEqualTo(5 + 4 + 7);
    assertThat(message._additionalProperties()).containsKey("openfusion");
    assertThat(lastRequestTo("judge-m").encode()).contains("Capital of France?");
  }

  @Test
  void streamedFusionIsMessagesEventsAndAccumulates(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    List<RawMessageStreamEvent> events = drain(params("openfusion").build());

    events.forEach(event -> assertThatCode(event::validate).doesNotThrowAnyException());
    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
    assertThat(events.stream().filter(RawMessageStreamEvent::isContentBlockDelta)
      .map(e -> e.asContentBlockDelta().delta().asText().text())).containsExactly("The capital ", "is Paris.");
    Message message = accumulate(events);
    assertThat(text(message)).isEqualTo(ANSWER);
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    var delta = events.stream().filter(RawMessageStreamEvent::isMessageDelta).findFirst().orElseThrow().asMessageDelta();
    assertThat(delta.usage().outputTokens()).isEqualTo(16);
    assertThat(delta.usage().inputTokens()).contains(122L);
  }

  @Test
  void passThroughNonStreamedAndStreamedParse(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));

    Message message = sdk.messages().create(params("gpt-x").putAdditionalBodyProperty("temperature", JsonValue.from(0.2)).stopSequences(List.of("END"))
      .metadata(com.anthropic.models.messages.Metadata.builder().userId("user-7").build()).build());

    assertThat(text(message)).isEqualTo("hello");
    assertThat(message.model().asString()).isEqualTo("gpt-x");
    assertThat(message.usage().inputTokens()).isEqualTo(3);
    JsonObject sent = lastRequestTo("gpt-x");
    assertThat(sent.getInteger("max_tokens")).isEqualTo(256);
    assertThat(sent.getJsonArray("stop")).containsExactly("END");
    assertThat(sent.getString("user")).isEqualTo("user-7");
    assertThat(sent.getJsonArray("messages").getJsonObject(0))
      .isEqualTo(new JsonObject().put("role", "system").put("content", "Answer briefly."));

    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.streamed("gpt-x", List.of("a", "b", "c"), 3, 3)));
    Message streamed = accumulate(drain(params("gpt-x").build()));

    assertThat(text(streamed)).isEqualTo("abc");
    assertThat(streamed.usage().outputTokens()).isEqualTo(3);
  }

  @Test
  void countTokensIsTheProxysInputEstimate(WireMockServer upstream) {
    var count = sdk.messages().countTokens(MessageCountTokensParams.builder().model("openfusion")
      .system("Answer briefly.").addUserMessage("Capital of France?").build());

    assertThat(count.inputTokens()).isPositive();
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void aToolUseComesBackAndItsResultGoesBackIn(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.toolCall("gpt-x", "call_7", "weather", "{\"city\":\"Paris\"}")));

    Message first = sdk.messages().create(params("gpt-x").addTool(weatherTool()).build());

    assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock use = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(use.id()).isEqualTo("call_7");
    assertThat(use.name()).isEqualTo("weather");
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    JsonObject tool = lastRequestTo("gpt-x").getJsonArray("tools").getJsonObject(0).getJsonObject("function");
    assertThat(tool.getString("name")).isEqualTo("weather");
    assertThat(tool.getJsonObject("parameters").getJsonObject("properties").containsKey("city")).isTrue();

    upstream.stubFor(Upstreams.call("gpt-x").withRequestBody(containing("\"role\":\"tool\""))
      .willReturn(Upstreams.answer("gpt-x", "It is sunny in Paris.", 30, 6)));
    Message second = sdk.messages().create(params("gpt-x").addTool(weatherTool()).addMessage(first)
      .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
        .toolUseId(use.id()).content("sunny, 24 C").build())))
      .build());

    assertThat(text(second)).isEqualTo("It is sunny in Paris.");
    JsonArray messages = lastRequestTo("gpt-x").getJsonArray("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.getJsonObject(2).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
      .getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(messages.getJsonObject(3)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "call_7")
      .put("content", "sunny, 24 C"));
  }

  @Test
  void aStreamedToolUseAccumulatesIntoOneBlock(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.streamedToolCall("gpt-x", "call_8", "weather",
      "{\"city\":", "\"Paris\"}")));

    Message message = accumulate(drain(params("gpt-x").addTool(weatherTool()).build()));

    ToolUseBlock use = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(use.id()).isEqualTo("call_8");
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
  }

  @Test
  void serverToolsAreAnthropicErrors(WireMockServer upstream) {
    AnthropicServiceException error = catchThrowableOfType(AnthropicServiceException.class, () -> sdk.messages().create(
      params("openfusion").addTool(com.anthropic.models.messages.WebSearchTool20250305.builder().build()).build()));

    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.errorType()).contains(ErrorType.INVALID_REQUEST_ERROR);
    assertThat(error.apiMessage().orElseThrow()).contains("web_search");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void anUpstreamFailureKeepsItsStatusInAnthropicShape(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.error(502, "bad gateway upstream")));

    AnthropicServiceException buffered = catchThrowableOfType(AnthropicServiceException.class,
      () -> sdk.messages().create(params("gpt-x").build()));
    AnthropicServiceException streamed = catchThrowableOfType(AnthropicServiceException.class,
      () -> drain(params("gpt-x").build()));

    assertThat(buffered.statusCode()).isEqualTo(502);
    assertThat(buffered.errorType()).contains(ErrorType.API_ERROR);
    // refused before the first byte: a plain HTTP error, not a stream
    assertThat(streamed.statusCode()).isEqualTo(502);
    assertThat(streamed.errorType()).contains(ErrorType.API_ERROR);
  }

  @Test
  void aStreamThatBreaksEndsWithAnErrorEventTheSdkRaises(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
      .withStatus(200).withHeader("Content-Type", "text/event-stream")
      .withBody(Upstreams.sseBody("gpt-x", List.of("half an ans"), 3, 3, false))));

    SseException error = catchThrowableOfType(SseException.class, () -> drain(params("gpt-x").build()));

    assertThat(error.errorType()).contains(ErrorType.API_ERROR);
    assertThat(error.apiMessage().orElseThrow()).contains("without [DONE]");
  }
}
