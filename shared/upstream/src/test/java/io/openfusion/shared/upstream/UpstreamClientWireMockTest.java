package io.openfusion.shared.upstream;

import io.openfusion.shared.chat.Usages;
import com.github.tomakehurst.wiremock.WireMockServer;
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

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.openfusion.shared.upstream.Calls.KEY;
import static io.openfusion.shared.upstream.Calls.await;
import static io.openfusion.shared.upstream.Calls.call;
import static io.openfusion.shared.upstream.Calls.chunk;
import static io.openfusion.shared.upstream.Calls.failure;
import static io.openfusion.shared.upstream.Calls.usageChunk;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class UpstreamClientWireMockTest {

  private static final String PATH = "/v1/chat/completions";
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
    client = UpstreamClient.create(vertx, UpstreamOptions.defaults()
        .withMaxResponseBytes(16 * 1024).withMaxEventBytes(4 * 1024));
  }

  @AfterEach
  void tearDown() {
    await(client.close());
  }

  private static String completion(String content, JsonObject usage) {
    JsonObject json = new JsonObject().put("id", "x").put("object", "chat.completion")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", content))
            .put("finish_reason", "stop")));
    if (usage != null) {
      json.put("usage", usage);
    }
    return json.encode();
  }

  private static String sse(String... payloads) {
    StringBuilder sb = new StringBuilder();
    for (String p : payloads) {
      sb.append("data: ").append(p).append("\n\n");
    }
    return sb.toString();
  }

  private void stubSse(String body) {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(body)));
  }

  // ---------------------------------------------------------------- non-streaming

  @Test
  void completeReturnsTheJsonWithUsageAndSendsTheBodyAndBearerKey() {
    JsonObject usage = new JsonObject().put("prompt_tokens", 5).put("completion_tokens", 7).put("total_tokens", 12)
        .put("cost", 0.5);
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("hi", usage))));

    JsonObject result = await(client.complete(call(base, false)));

    assertThat(result.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo("hi");
    assertThat(Usages.fromJson(result.getJsonObject("usage"))).isEqualTo(usage);
    wm.verify(postRequestedFor(urlEqualTo(PATH))
        .withHeader("Authorization", equalTo("Bearer " + KEY))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson(Calls.body(false).encode())));
  }

  @Test
  void noAuthorizationHeaderWhenTheKeyIsBlank() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("hi", null))));
    await(client.complete(call(base, "  ", false, 5_000, null)));
    await(client.complete(call(base, null, false, 5_000, null)));
    wm.verify(2, postRequestedFor(urlEqualTo(PATH)).withoutHeader("Authorization"));
  }

  @Test
  void trailingSlashInTheBaseUrlIsFine() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("hi", null))));
    assertThat(await(client.complete(call(base + "/", false)))).isNotNull();
  }

  @Test
  void emptyChoicesIsAValidAnswer() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"choices\":[]}")));
    assertThat(await(client.complete(call(base, false))).getJsonArray("choices")).isEmpty();
  }

  @Test
  void streamFlagInTheBodyIsForcedOffForComplete() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("hi", null))));
    JsonObject body = Calls.body(true).put("stream_options", new JsonObject().put("include_usage", true));
    await(client.complete(new UpstreamCall(base, KEY, body, System.currentTimeMillis() + 5000, null, "t")));
    wm.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(Calls.body(false).encode())));
    assertThat(body.getBoolean("stream")).as("caller's body untouched").isTrue();
  }

  @Test
  void http401WithErrorJsonKeepsStatusAndMessage() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"bad key\",\"type\":\"auth\",\"code\":401}}")));

    UpstreamException e = failure(client.complete(call(base, false)));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.getMessage()).isEqualTo("Upstream error (401): bad key");
    assertThat(e.retryAfterMillis()).isEqualTo(-1);
  }

  @Test
  void http500PlainTextBodyIsCutTo500Chars() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500).withBody("boom " + "z".repeat(2000))));

    UpstreamException e = failure(client.complete(call(base, false)));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.getMessage()).startsWith("Upstream error (500): boom zzz")
        .hasSize("Upstream error (500): ".length() + 500);
  }

  @Test
  void http500WithoutBodyUsesTheStatusText() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withStatusMessage("Service Unavailable")));
    UpstreamException e = failure(client.complete(call(base, false)));
    assertThat(e.getMessage()).isEqualTo("Upstream error (503): Service Unavailable");
    assertThat(e.retryAfterMillis()).isEqualTo(-1);
  }

  @Test
  void http429WithRetryAfterSeconds() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
        .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"slow down\"}}")));

    UpstreamException e = failure(client.complete(call(base, false)));

    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.isRateLimited()).isTrue();
    assertThat(e.retryAfterMillis()).isEqualTo(2000);
    assertThat(e.getMessage()).isEqualTo("Upstream error (429): slow down");
  }

  @Test
  void apiKeyEchoedByTheUpstreamIsMasked() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
        .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}")));
    UpstreamException e = failure(client.complete(call(base, false)));
    assertThat(e.getMessage()).isEqualTo("Upstream error (401): Incorrect API key provided: ***")
        .doesNotContain(KEY);
  }

  @Test
  void connectionRefusedIsConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    UpstreamException e = failure(client.complete(call("http://127.0.0.1:" + port + "/v1", false)));
    assertThat(e.kind()).isEqualTo(Kind.CONNECT);
    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).isEqualTo("Could not connect to upstream http://127.0.0.1:" + port
        + ": connection refused");
  }

  @Test
  void invalidBaseUrlIsConnect() {
    UpstreamException e = failure(client.complete(call("ftp://example/v1", false)));
    assertThat(e.kind()).isEqualTo(Kind.CONNECT);
  }

  @Test
  void invalidJsonIsBadResponse() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("<html>oops</html>")));
    UpstreamException e = failure(client.complete(call(base, false)));
    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
    assertThat(e.getMessage()).isEqualTo("Upstream returned invalid JSON");
  }

  @Test
  void jsonThatIsNotAnObjectOrEmptyIsBadResponse() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("[1,2]")));
    assertThat(failure(client.complete(call(base, false))).kind()).isEqualTo(Kind.BAD_RESPONSE);
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
    assertThat(failure(client.complete(call(base, false))).kind()).isEqualTo(Kind.BAD_RESPONSE);
  }

  @Test
  void oversizeBodyIsTooLarge() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("w".repeat(20_000), null))));
    UpstreamException e = failure(client.complete(call(base, false)));
    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(e.getMessage()).isEqualTo("Upstream response exceeded 16384 bytes");
  }

  @Test
  void oversizeChunkedBodyWithoutContentLengthIsTooLarge() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("w".repeat(20_000), null))
        .withChunkedDribbleDelay(8, 50)));
    assertThat(failure(client.complete(call(base, false))).kind()).isEqualTo(Kind.TOO_LARGE);
  }

  // ---------------------------------------------------------------- streaming

  @Test
  void streamHandsOverChunksInOrderAndPicksUpUsageAndFinishReason() {
    String body = ": OPENROUTER PROCESSING\n\n" + sse(chunk("Hel", null), chunk("lo", null), chunk(null, "stop"),
        usageChunk(3, 2), "[DONE]");
    stubSse(body);
    List<String> got = new ArrayList<>();

    StreamResult r = await(client.stream(call(base, true), got::add));

    assertThat(got).containsExactly(chunk("Hel", null), chunk("lo", null), chunk(null, "stop"), usageChunk(3, 2));
    assertThat(r.chunks()).isEqualTo(4);
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(Usages.fromJson(r.usage())).isEqualTo(new JsonObject().put("prompt_tokens", 3)
        .put("completion_tokens", 2).put("total_tokens", 5).put("cost", 0.0012));
    wm.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Accept", equalTo("text/event-stream"))
        .withRequestBody(equalToJson(Calls.body(true).encode())));
  }

  @Test
  void streamDribbledAcrossManyTcpWritesWithCrlf() {
    StringBuilder sb = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String c = chunk("tok" + i + " \u00e9\u20ac", i == 29 ? "length" : null);
      expected.add(c);
      sb.append("data: ").append(c).append("\r\n\r\n");
    }
    sb.append("data: [DONE]\r\n\r\n");
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream; charset=utf-8").withBody(sb.toString())
        .withChunkedDribbleDelay(97, 300)));
    List<String> got = new ArrayList<>();

    StreamResult r = await(client.stream(call(base, true), got::add));

    assertThat(got).containsExactlyElementsOf(expected);
    assertThat(r.finishReason()).isEqualTo("length");
    assertThat(r.usage()).isNull();
  }

  @Test
  void streamWithoutDoneFailsAsIncompleteAfterHandingOverWhatCame() {
    stubSse(sse(chunk("a", null), chunk("b", "stop")));
    List<String> got = new ArrayList<>();
    UpstreamException e = failure(client.stream(call(base, true), got::add));
    assertThat(got).hasSize(2);
    assertThat(e.kind()).isEqualTo(Kind.INCOMPLETE_STREAM);
    assertThat(e.getMessage()).isEqualTo("Upstream stream ended without [DONE]; the answer may be incomplete");
  }

  @Test
  void streamWithNoDataAtAllIsBadResponse() {
    stubSse(": just a comment\n\n");
    UpstreamException e = failure(client.stream(call(base, true), s -> { }));
    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
  }

  @Test
  void nonJsonDataLineIsBadResponse() {
    stubSse(sse(chunk("a", null), "this is not json", chunk("b", null), "[DONE]"));
    List<String> got = new ArrayList<>();
    UpstreamException e = failure(client.stream(call(base, true), got::add));
    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
    assertThat(e.getMessage()).isEqualTo("Invalid upstream SSE payload");
    assertThat(got).containsExactly(chunk("a", null));
  }

  @Test
  void brokenJsonThatMentionsUsageIsBadResponse() {
    stubSse(sse("{\"usage\": {\"prompt_tokens\": 1,}", "[DONE]"));
    assertThat(failure(client.stream(call(base, true), s -> { })).kind()).isEqualTo(Kind.BAD_RESPONSE);
  }

  @Test
  void oversizeSseEventIsTooLarge() {
    stubSse(sse(chunk("x".repeat(5000), null), "[DONE]"));
    UpstreamException e = failure(client.stream(call(base, true), s -> { }));
    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(e.getMessage()).isEqualTo("Upstream response exceeded 4096 bytes");
  }

  @Test
  void streamingErrorStatusReadsTheJsonErrorBody() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"model not found\"}}")));
    UpstreamException e = failure(client.stream(call(base, true), s -> { }));
    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("Upstream error (400): model not found");
  }

  @Test
  void streamingRequestAnsweredWithJson200IsBadResponse() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("not streamed", null))));
    UpstreamException e = failure(client.stream(call(base, true), s -> { }));
    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
    assertThat(e.status()).isZero();
  }

  @Test
  void anExceptionFromOnDataFailsTheCallAsIs() {
    stubSse(sse(chunk("a", null), chunk("b", null), "[DONE]"));
    IllegalStateException boom = new IllegalStateException("caller bug");
    Throwable cause = client.stream(call(base, true), s -> {
      throw boom;
    }).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
    assertThat(cause).isSameAs(boom);
  }

  @Test
  void manySequentialCallsOnOneClient() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("hi", null))));
    for (int i = 0; i < 5; i++) {
      await(client.complete(call(base, false)));
    }
    stubSse(sse(chunk("a", "stop"), "[DONE]"));
    for (int i = 0; i < 5; i++) {
      await(client.stream(call(base, true), s -> { }));
    }
    wm.verify(10, postRequestedFor(urlEqualTo(PATH)));
  }
}
