package io.openfusion.shared.upstream;

import io.openfusion.shared.chat.Usages;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.openfusion.shared.upstream.Calls.KEY;
import static io.openfusion.shared.upstream.Calls.await;
import static io.openfusion.shared.upstream.Calls.failure;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.blockStop;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.error;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.jsonDelta;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.messageDelta;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.messageStart;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.messageStop;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.ping;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.sse;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.textDelta;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.textStart;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.toolStart;
import static org.assertj.core.api.Assertions.assertThat;

/** The client against a WireMock Anthropic: dispatch, headers, and translation of answers, streams and errors. */
@ExtendWith(VertxExtension.class)
class AnthropicUpstreamWireMockTest {

  private static final String PATH = "/v1/messages";
  private static WireMockServer wm;

  private UpstreamClient client;
  private String base;

  @BeforeAll
  static void startWireMock() {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    Calls.warmUp();
  }

  @AfterAll
  static void stopWireMock() {
    wm.stop();
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    wm.resetAll();
    base = "http://127.0.0.1:" + wm.port() + "/v1";
    client = UpstreamClient.create(vertx, UpstreamOptions.defaults());
  }

  @AfterEach
  void tearDown() {
    await(client.close());
  }

  private UpstreamCall call(JsonObject body) {
    return new UpstreamCall(base, KEY, body, System.currentTimeMillis() + 5_000, null, "claude", Provider.ANTHROPIC);
  }

  private static JsonObject chatBody(boolean stream) {
    return new JsonObject().put("model", "claude-x").put("stream", stream)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("max_tokens", 64).put("stop", "END")
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "one"))
            .add(new JsonObject().put("role", "system").put("content", "two"))
            .add(new JsonObject().put("role", "user").put("content", "secret prompt")));
  }

  private static JsonObject anthropicBody(boolean stream) {
    JsonObject body = new JsonObject().put("model", "claude-x").put("system", "one\n\ntwo")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "secret prompt")))
        .put("max_tokens", 64).put("stop_sequences", new JsonArray().add("END"));
    return stream ? body.put("stream", true) : body;
  }

  private static String message(JsonArray content, String stopReason) {
    return new JsonObject().put("id", "msg_9").put("type", "message").put("role", "assistant")
        .put("model", "claude-x").put("content", content).put("stop_reason", stopReason)
        .put("usage", new JsonObject().put("input_tokens", 12).put("output_tokens", 4)).encode();
  }

  private void stubSse(JsonObject... events) {
    StringBuilder sb = new StringBuilder();
    for (JsonObject e : events) {
      sb.append(sse(e));
    }
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(sb.toString())));
  }

  @Test
  void completePostsTheTranslatedBodyToMessagesWithAnthropicHeaders() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(message(
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hello")), "end_turn"))));

    JsonObject result = await(client.complete(call(chatBody(true))));

    wm.verify(postRequestedFor(urlEqualTo(PATH))
        .withHeader("x-api-key", equalTo(KEY))
        .withHeader("anthropic-version", equalTo("2023-06-01"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withoutHeader("Authorization")
        .withRequestBody(equalToJson(anthropicBody(false).encode())));
    assertThat(result.getString("object")).isEqualTo("chat.completion");
    assertThat(result.getString("id")).isEqualTo("msg_9");
    assertThat(result.getString("model")).isEqualTo("claude-x");
    assertThat(result.getLong("created")).isCloseTo(System.currentTimeMillis() / 1000,
        org.assertj.core.data.Offset.offset(5L));
    JsonObject choice = result.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("hello");
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(Usages.fromJson(result.getJsonObject("usage"))).isEqualTo(new JsonObject()
        .put("prompt_tokens", 12).put("completion_tokens", 4).put("total_tokens", 16));
  }

  @Test
  void completeMapsToolUseToToolCalls() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(message(new JsonArray()
        .add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "f")
            .put("input", new JsonObject().put("a", 1))), "tool_use"))));
    JsonObject choice = await(client.complete(call(chatBody(false)))).getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    assertThat(choice.getJsonObject("message").getValue("content")).isNull();
    assertThat(choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0)
        .getJsonObject("function").getString("arguments")).isEqualTo("{\"a\":1}");
  }

  @Test
  void noKeyHeaderWhenTheKeyIsBlank() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(message(new JsonArray(), "end_turn"))));
    await(client.complete(new UpstreamCall(base, " ", chatBody(false), System.currentTimeMillis() + 5_000, null,
        "claude", Provider.ANTHROPIC)));
    wm.verify(postRequestedFor(urlEqualTo(PATH)).withoutHeader("x-api-key").withoutHeader("Authorization")
        .withHeader("anthropic-version", equalTo("2023-06-01")));
  }

  @Test
  void streamConvertsTextAndToolUseAndCombinesUsage() {
    stubSse(messageStart("msg_s", 30), ping(),
        textStart(0), textDelta(0, "Hi"), textDelta(0, " there"), blockStop(0),
        toolStart(1, "toolu_1", "lookup"), jsonDelta(1, "{\"q\":"), jsonDelta(1, "\"x\"}"), blockStop(1),
        messageDelta("tool_use", 17), messageStop());
    List<String> received = new ArrayList<>();

    StreamResult result = await(client.stream(call(chatBody(true)), received::add));

    wm.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(anthropicBody(true).encode())));
    List<JsonObject> chunks = received.stream().map(JsonObject::new).toList();
    assertThat(chunks).hasSize(7);
    for (JsonObject c : chunks) {
      assertThat(c.getString("id")).isEqualTo("msg_s");
      assertThat(c.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(c.getString("model")).isEqualTo("claude-x");
      assertThat(c.getLong("created")).isPositive();
    }
    JsonObject first = chunks.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    assertThat(first).isEqualTo(new JsonObject().put("role", "assistant").put("content", "Hi"));
    StringBuilder args = new StringBuilder();
    for (JsonObject c : chunks) {
      JsonArray choices = c.getJsonArray("choices");
      if (!choices.isEmpty() && choices.getJsonObject(0).getJsonObject("delta").getValue("tool_calls")
          instanceof JsonArray calls) {
        args.append(calls.getJsonObject(0).getJsonObject("function").getString("arguments"));
      }
    }
    assertThat(args.toString()).isEqualTo("{\"q\":\"x\"}");
    JsonObject usage = new JsonObject().put("prompt_tokens", 30).put("completion_tokens", 17).put("total_tokens", 47);
    assertThat(chunks.get(6).getJsonArray("choices")).isEmpty();
    assertThat(chunks.get(6).getJsonObject("usage")).isEqualTo(usage);
    assertThat(result).isEqualTo(new StreamResult(usage, "tool_calls", 7));
  }

  @Test
  void http429KeepsStatusRetryAfterAndTheAnthropicMessage() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
        .withHeader("Content-Type", "application/json")
        .withBody(error("rate_limit_error", "Number of requests has exceeded your rate limit").encode())));

    UpstreamException e = failure(client.stream(call(chatBody(true)), d -> { }));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.isRateLimited()).isTrue();
    assertThat(e.retryAfterMillis()).isEqualTo(3000);
    assertThat(e.getMessage()).isEqualTo("Upstream error (429): Number of requests has exceeded your rate limit");
  }

  @Test
  void http400ErrorJsonGivesItsMessageWithoutTheKey() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json")
        .withBody(error("invalid_request_error", "bad key " + KEY).encode())));

    UpstreamException e = failure(client.complete(call(chatBody(false))));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("Upstream error (400): bad key ***");
  }

  @Test
  void errorEventMidStreamFailsTheCallAfterTheChunksBeforeIt() {
    stubSse(messageStart("msg_e", 3), textStart(0), textDelta(0, "partial"),
        error("overloaded_error", "Overloaded " + KEY));
    List<String> received = new ArrayList<>();

    UpstreamException e = failure(client.stream(call(chatBody(true)), received::add));

    assertThat(received).hasSize(1);
    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(529);
    assertThat(e.getMessage()).isEqualTo("Upstream error (529): Overloaded ***");
  }

  @Test
  void nonJsonEventDataIsBadResponse() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody("event: message_start\ndata: nope\n\n")));
    UpstreamException e = failure(client.stream(call(chatBody(true)), d -> { }));
    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
    assertThat(e.getMessage()).isEqualTo("Invalid upstream SSE payload");
  }

  @Test
  void eventNameIsUsedWhenThePayloadHasNoType() {
    JsonObject delta = textDelta(0, "named").copy();
    delta.remove("type");
    String body = sse(messageStart("m", 1)) + "event: content_block_delta\ndata: " + delta.encode() + "\n\n"
        + sse(messageStop());
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(body)));
    List<String> received = new ArrayList<>();
    StreamResult result = await(client.stream(call(chatBody(true)), received::add));
    assertThat(received).hasSize(1);
    assertThat(received.get(0)).contains("\"content\":\"named\"");
  }

  @Test
  void streamEndingWithoutMessageStopFailsAsIncomplete() {
    stubSse(messageStart("m", 1), textStart(0), textDelta(0, "cut"));
    List<String> received = new ArrayList<>();
    UpstreamException e = failure(client.stream(call(chatBody(true)), received::add));
    assertThat(received).hasSize(1);
    assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_STREAM);
    assertThat(e.getMessage()).isEqualTo("Upstream stream ended without message_stop; the answer may be incomplete");
  }

  @Test
  void streamWithOnlyMessageStartIsAnEmptyStream() {
    stubSse(messageStart("m", 1), ping());
    UpstreamException e = failure(client.stream(call(chatBody(true)), d -> { }));
    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
  }

  @Test
  void openAiCallsStillGoToChatCompletionsWithBearer() {
    wm.stubFor(post(anyUrl()).willReturn(okJson("{\"choices\":[]}")));
    JsonObject body = chatBody(false);
    UpstreamCall anthropic = call(body);
    await(client.complete(anthropic.withProvider(Provider.OPENAI)));
    await(client.complete(new UpstreamCall(base, KEY, body, System.currentTimeMillis() + 5_000, null, "t")));
    wm.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer " + KEY))
        .withoutHeader("x-api-key")
        .withRequestBody(equalToJson(body.encode())));
  }
}
