package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.WebSearchPreviewTool;
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
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The official OpenAI Java SDK's {@code client.responses()} against a running node: fused and passed-through answers,
 * streamed and not, function tools round-tripping, conversations continued with {@code previous_response_id}, and
 * errors in OpenAI's shape.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponsesSdkTest {

  private static final String ANSWER = "The capital is Paris.";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m"))
    .build();

  private static OpenAIClient sdk;

  @BeforeAll
  static void sdk() {
    sdk = Sdks.openAi(openfusion);
  }

  private static ResponseCreateParams.Builder params(String model) {
    return ResponseCreateParams.builder().model(model).input("Capital of France?").instructions("Answer briefly.");
  }

  private static List<ResponseStreamEvent> drain(ResponseCreateParams params) {
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params)) {
      return stream.stream().toList();
    }
  }

  private static Response accumulate(List<ResponseStreamEvent> events) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    events.forEach(accumulator::accumulate);
    return accumulator.response();
  }

  private static JsonObject lastRequestTo(String model) {
    var requests = openfusion.upstream().findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo(model))));
    return new JsonObject(requests.get(requests.size() - 1).getBodyAsString());
  }

  /** The event as the SDK would send it back: every field it parsed. */
  private static JsonObject json(Object sdkObject) {
    try {
      return new JsonObject(ObjectMappers.jsonMapper().writeValueAsString(sdkObject));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static FunctionTool weatherTool() {
    return FunctionTool.builder().name("weather").description("Weather in a city").strict(false)
      .parameters(FunctionTool.Parameters.builder()
        .putAdditionalProperty("type", JsonValue.from("object"))
        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
        .build())
      .build();
  }

  @Test
  void nonStreamedFusionParsesWithSummedUsage(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    Response response = sdk.responses().create(params("openfusion").build());

    assertThatCode(response::validate).doesNotThrowAnyException();
    assertThat(response.id()).startsWith("resp_");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(response.model().asString()).isEqualTo("openfusion");
    assertThat(response.output()).hasSize(1);
    assertThat(response.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
      .isEqualTo(ANSWER);
    ResponseUsage usage = response.usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(10 + 12 + 100);
    assertThat(usage.outputTokens()).isEqualTo(5 + 4 + 7);
    assertThat(usage.totalTokens()).isEqualTo(10 + 12 + 100 + 5 + 4 + 7);
    assertThat(response._additionalProperties().get("output_text").asString()).contains(ANSWER);
    // the chat usage (with cost, when the upstreams report one) travels in one extra field the SDK keeps aside
    assertThat(response._additionalProperties()).containsKey("openfusion");
    JsonObject judgeCall = lastRequestTo("judge-m");
    assertThat(judgeCall.encode()).contains("Capital of France?");
  }

  @Test
  void streamedFusionIsTheTypedEventsAndAccumulates(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    List<ResponseStreamEvent> events = drain(params("openfusion").build());

    events.forEach(event -> assertThatCode(event::validate).doesNotThrowAnyException());
    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events.get(1).isInProgress()).isTrue();
    assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
      .map(e -> e.asOutputTextDelta().delta())).containsExactly("The capital ", "is Paris.");
    for (int i = 0; i < events.size(); i++) {
      assertThat(json(events.get(i)).getInteger("sequence_number")).isEqualTo(i);
    }
    Response response = accumulate(events);
    assertThat(response.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
      .isEqualTo(ANSWER);
    ResponseUsage usage = events.get(events.size() - 1).asCompleted().response().usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(122);
    assertThat(usage.outputTokens()).isEqualTo(16);
    // progress never reaches this stream
    assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain("Querying"));
  }

  @Test
  void passThroughNonStreamedAndStreamedParse(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));

    Response response = sdk.responses().create(params("gpt-x").maxOutputTokens(64).temperature(0.2).build());

    assertThat(response.model().asString()).isEqualTo("gpt-x");
    assertThat(response.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
      .isEqualTo("hello");
    assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(4);
    JsonObject sent = lastRequestTo("gpt-x");
    assertThat(sent.getInteger("max_tokens")).isEqualTo(64);
    assertThat(sent.getDouble("temperature")).isEqualTo(0.2);
    assertThat(sent.getJsonArray("messages").getJsonObject(0))
      .isEqualTo(new JsonObject().put("role", "system").put("content", "Answer briefly."));

    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.streamed("gpt-x", List.of("a", "b", "c"), 3, 3)));
    List<ResponseStreamEvent> events = drain(params("gpt-x").build());

    assertThat(accumulate(events).output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow()
      .text()).isEqualTo("abc");
    assertThat(events.get(events.size() - 1).asCompleted().response().usage().orElseThrow().totalTokens()).isEqualTo(6);
    assertThat(lastRequestTo("gpt-x").getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  void aFunctionCallComesBackAndItsOutputGoesBackIn(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.toolCall("gpt-x", "call_7", "weather", "{\"city\":\"Paris\"}")));

    Response first = sdk.responses().create(params("gpt-x").addTool(weatherTool()).build());

    assertThat(first.output()).hasSize(1);
    ResponseFunctionToolCall call = first.output().get(0).functionCall().orElseThrow();
    assertThat(call.callId()).isEqualTo("call_7");
    assertThat(call.name()).isEqualTo("weather");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
    JsonObject sentTools = lastRequestTo("gpt-x").getJsonArray("tools").getJsonObject(0);
    assertThat(sentTools.getJsonObject("function").getString("name")).isEqualTo("weather");

    upstream.stubFor(Upstreams.call("gpt-x").withRequestBody(containing("\"role\":\"tool\""))
      .willReturn(Upstreams.answer("gpt-x", "It is sunny in Paris.", 30, 6)));
    Response second = sdk.responses().create(ResponseCreateParams.builder().model("gpt-x").addTool(weatherTool())
      .previousResponseId(first.id())
      .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(call.callId()).output("sunny, 24 C").build())))
      .build());

    assertThat(second.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
      .isEqualTo("It is sunny in Paris.");
    assertThat(second.previousResponseId()).contains(first.id());
    JsonArray messages = lastRequestTo("gpt-x").getJsonArray("messages");
    // the stored turn (without its instructions), the model's call, and the tool's answer
    assertThat(messages).hasSize(3);
    assertThat(messages.getJsonObject(0).getString("content")).isEqualTo("Capital of France?");
    assertThat(messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_7");
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "call_7")
      .put("content", "sunny, 24 C"));
  }

  @Test
  void aStreamedFunctionCallAccumulatesIntoOneItem(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.streamedToolCall("gpt-x", "call_8", "weather",
      "{\"city\":", "\"Paris\"}")));

    List<ResponseStreamEvent> events = drain(params("gpt-x").addTool(weatherTool()).build());

    assertThat(events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDelta).count()).isEqualTo(2);
    assertThat(events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDone).findFirst().orElseThrow()
      .asFunctionCallArgumentsDone().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    Response response = accumulate(events);
    ResponseFunctionToolCall call = response.output().get(0).functionCall().orElseThrow();
    assertThat(call.callId()).isEqualTo("call_8");
    assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
  }

  @Test
  void aStoredResponseIsContinuedRetrievedAndDeleted(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "Paris.", 5, 1)));
    Response first = sdk.responses().create(params("gpt-x").build());
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.streamed("gpt-x", List.of("Madrid."), 9, 1)));

    List<ResponseStreamEvent> events = drain(ResponseCreateParams.builder().model("gpt-x").input("And Spain?")
      .previousResponseId(first.id()).build());

    assertThat(accumulate(events).output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow()
      .text()).isEqualTo("Madrid.");
    assertThat(lastRequestTo("gpt-x").getJsonArray("messages")).extracting(m -> ((JsonObject) m).getString("content"))
      .containsExactly("Capital of France?", "Paris.", "And Spain?");
    Response retrieved = sdk.responses().retrieve(first.id());
    assertThat(retrieved.id()).isEqualTo(first.id());
    assertThat(retrieved.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
      .isEqualTo("Paris.");

    sdk.responses().delete(first.id());

    assertThat(catchThrowableOfType(NotFoundException.class, () -> sdk.responses().retrieve(first.id())).statusCode())
      .isEqualTo(404);
    BadRequestException gone = catchThrowableOfType(BadRequestException.class, () -> sdk.responses().create(
      ResponseCreateParams.builder().model("gpt-x").input("And Italy?").previousResponseId(first.id()).build()));
    assertThat(gone.code()).contains("previous_response_not_found");
  }

  @Test
  void aResponseNotStoredCannotBeContinued(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "Paris.", 5, 1)));
    Response first = sdk.responses().create(params("gpt-x").store(false).build());

    assertThat(first._additionalProperties().get("store").asBoolean()).contains(false);
    BadRequestException error = catchThrowableOfType(BadRequestException.class, () -> sdk.responses().create(
      ResponseCreateParams.builder().model("gpt-x").input("And Spain?").previousResponseId(first.id()).build()));
    assertThat(error.code()).contains("previous_response_not_found");
  }

  @Test
  void badInputAndBuiltInToolsAreOpenAiErrors(WireMockServer upstream) {
    BadRequestException builtIn = catchThrowableOfType(BadRequestException.class, () -> sdk.responses().create(
      params("openfusion").addTool(WebSearchPreviewTool.builder().type(WebSearchPreviewTool.Type.WEB_SEARCH_PREVIEW).build())
        .build()));
    assertThat(builtIn.statusCode()).isEqualTo(400);
    assertThat(builtIn.code()).contains("unsupported_parameter");
    assertThat(builtIn.type()).contains("invalid_request_error");
    assertThat(builtIn.getMessage()).contains("web_search_preview");

    BadRequestException noModel = catchThrowableOfType(BadRequestException.class, () -> sdk.responses().create(
      ResponseCreateParams.builder().model("").input("x").build()));
    assertThat(noModel.code()).contains("invalid_model");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void anUpstreamFailureKeepsItsStatusInOpenAiShape(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.error(502, "bad gateway upstream")));

    OpenAIServiceException error = catchThrowableOfType(OpenAIServiceException.class,
      () -> sdk.responses().create(params("gpt-x").build()));

    assertThat(error.statusCode()).isEqualTo(502);
    assertThat(error.code()).contains("upstream_error");
  }
}
