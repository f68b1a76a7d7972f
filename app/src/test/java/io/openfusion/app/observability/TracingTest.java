package io.openfusion.app.observability;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.NodeTracing;
import io.openfusion.app.node.Role;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.Traces;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.TelemetryConfig;
import io.openfusion.shared.logging.RequestIdMdc;
import io.openfusion.shared.telemetry.LogCapture;
import io.openfusion.shared.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.openfusion.app.testing.Traces.number;
import static io.openfusion.app.testing.Traces.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node with traces going to memory: a fused request is one trace (the api's server span, the router's run, a
 * span per upstream call), continues the client's {@code traceparent}, sends each call's own {@code traceparent}
 * upstream, names its spans in its log lines, and holds no prompt or answer text unless capture is on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingTest {

  private static final String CLIENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String CLIENT_SPAN = "b7ad6b7169203331";
  private static final String PROMPT = "What is the capital of France? secret-prompt-7Q";

  private static WireMockServer upstream;
  private static Traces traces;
  private static Node node;
  private static Node capturing;
  private static Client client;

  @BeforeAll
  static void start() {
    upstream = Upstreams.start();
    traces = new Traces();
    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    OpenFusionConfig config = recipe.withServer(recipe.server().withHost("127.0.0.1").withPort(0));
    node = Node.start(new NodeOptions(config, Role.all(), null, 1, "traced-" + UUID.randomUUID()),
      NodeTracing.using(traces.sdk())).await();
    capturing = Node.start(new NodeOptions(config.toBuilder().telemetry(new TelemetryConfig(true)).build(), Role.all(),
      null, 1, "captured-" + UUID.randomUUID()), NodeTracing.using(traces.sdk())).await();
    client = Client.create(node.httpPort(), false, 0);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    for (Node n : new Node[] {node, capturing}) {
      if (n != null) {
        n.close().await();
      }
    }
    if (traces != null) {
      traces.close();
    }
    if (upstream != null) {
      upstream.stop();
    }
  }

  @BeforeEach
  void reset() {
    upstream.resetAll();
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris is the capital.", 10, 5)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
    upstream.stubFor(Upstreams.call("judge-m")
      .willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "is Paris."), 100, 7)));
    traces.reset();
  }

  @Test
  void aStreamedFusionIsOneTraceContinuingTheClients() {
    HttpResponse<Buffer> response;
    List<JsonObject> upstreamLines;
    List<JsonObject> requestLines;
    try (LogCapture upstreamLog = LogCapture.of(Telemetry.UPSTREAM_LOGGER);
         LogCapture requestLog = LogCapture.of(Telemetry.REQUEST_LOGGER)) {
      response = client.post("/v1/chat/completions", Client.chat("openfusion", PROMPT, true),
        "traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsString()).contains("is Paris.").contains("[DONE]");
      traces.awaitNamed(CLIENT_TRACE, "fusion");
      traces.awaitNamed(CLIENT_TRACE, "POST /v1/chat/completions");
      upstreamLines = upstreamLog.fields();
      requestLines = requestLog.fields();
    }
    String requestId = response.getHeader("X-Request-Id");

    SpanData server = traces.awaitNamed(CLIENT_TRACE, "POST /v1/chat/completions");
    SpanData run = traces.awaitNamed(CLIENT_TRACE, "fusion");
    SpanData m1 = traces.awaitNamed(CLIENT_TRACE, "chat m1");
    SpanData m2 = traces.awaitNamed(CLIENT_TRACE, "chat m2");
    SpanData judge = traces.awaitNamed(CLIENT_TRACE, "chat judge-m");

    // the tree: the client's span → the api's server span → the run → one span per upstream call, and nothing else
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(string(server, "openfusion.request_id")).isEqualTo(requestId);
    assertThat(string(server, "http.route")).isEqualTo("/v1/chat/completions");
    assertThat(run.getParentSpanId()).isEqualTo(server.getSpanId());
    for (SpanData call : List.of(m1, m2, judge)) {
      assertThat(call.getParentSpanId()).as(call.getName()).isEqualTo(run.getSpanId());
      assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(string(call, "gen_ai.operation.name")).isEqualTo("chat");
      assertThat(string(call, "gen_ai.provider.name")).isEqualTo("127.0.0.1");
      assertThat(string(call, "openfusion.outcome")).isEqualTo("success");
      assertThat(string(call, "openfusion.request_id")).isEqualTo(requestId);
    }
    assertThat(traces.of(CLIENT_TRACE)).hasSize(5);

    // the run
    assertThat(string(run, "openfusion.route")).isEqualTo("fusion");
    assertThat(string(run, "openfusion.strategy")).isEqualTo("panel");
    assertThat(string(run, "openfusion.aggregator")).isEqualTo("judge");
    assertThat(string(run, "openfusion.outcome")).isEqualTo("success");
    assertThat(string(run, "gen_ai.request.model")).isEqualTo("openfusion");
    assertThat(run.getEvents()).extracting(e -> e.getName()).containsExactly("panel_member", "panel_member");

    // the GenAI attributes of the calls
    assertThat(string(m1, "openfusion.role")).isEqualTo("panel");
    assertThat(string(m1, "gen_ai.request.model")).isEqualTo("m1");
    assertThat(string(m1, "gen_ai.response.model")).isEqualTo("m1");
    assertThat(number(m1, "gen_ai.usage.input_tokens")).isEqualTo(10L);
    assertThat(number(m1, "gen_ai.usage.output_tokens")).isEqualTo(5L);
    assertThat(m1.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
      .containsExactly("stop");
    assertThat(number(m1, "server.port")).isEqualTo((long) upstream.port());
    assertThat(string(judge, "openfusion.role")).isEqualTo("judge");
    assertThat(string(judge, "gen_ai.response.model")).isEqualTo("judge-m");
    assertThat(number(judge, "gen_ai.usage.output_tokens")).isEqualTo(7L);
    assertThat(judge.getAttributes().get(AttributeKey.booleanKey("openfusion.stream"))).isTrue();

    // each upstream got its own call's traceparent
    assertThat(traceparentSentFor("m1")).isEqualTo("00-" + CLIENT_TRACE + "-" + m1.getSpanId() + "-01");
    assertThat(traceparentSentFor("m2")).isEqualTo("00-" + CLIENT_TRACE + "-" + m2.getSpanId() + "-01");
    assertThat(traceparentSentFor("judge-m")).isEqualTo("00-" + CLIENT_TRACE + "-" + judge.getSpanId() + "-01");

    // the log lines name their spans
    assertThat(upstreamLines).hasSize(3).allSatisfy(line -> {
      assertThat(line.getString(RequestIdMdc.TRACE_ID)).isEqualTo(CLIENT_TRACE);
      assertThat(line.getString(RequestIdMdc.SPAN_ID)).isIn(m1.getSpanId(), m2.getSpanId(), judge.getSpanId());
    });
    assertThat(requestLines).singleElement().satisfies(line -> {
      assertThat(line.getString(RequestIdMdc.TRACE_ID)).isEqualTo(CLIENT_TRACE);
      assertThat(line.getString(RequestIdMdc.SPAN_ID)).isEqualTo(run.getSpanId());
    });

    // metadata only: neither the prompt nor an answer is in any span
    assertThat(traces.all().toString()).doesNotContain("secret-prompt-7Q").doesNotContain("Paris");
  }

  @Test
  void aRequestWithoutTraceparentStartsATraceOfItsOwn() {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", PROMPT, false));
    assertThat(response.statusCode()).isEqualTo(200);

    SpanData server = traces.await(s -> s.getName().equals("POST /v1/chat/completions"), "server span");
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    SpanData run = traces.awaitNamed(server.getTraceId(), "fusion");
    assertThat(run.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(traces.awaitNamed(server.getTraceId(), "chat judge-m").getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(traceparentSentFor("m1")).startsWith("00-" + server.getTraceId() + "-");
  }

  @Test
  void aPassThroughIsARunWithOneCall() {
    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("m1", PROMPT, false));
    assertThat(response.statusCode()).isEqualTo(200);

    SpanData run = traces.await(s -> s.getName().equals("pass_through"), "pass-through run");
    SpanData call = traces.awaitNamed(run.getTraceId(), "chat m1");
    assertThat(call.getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(string(call, "openfusion.role")).isEqualTo("pass_through");
    assertThat(string(run, "openfusion.target_model")).isEqualTo("m1");
  }

  @Test
  void aResponsesRequestIsTracedFromItsEdge() {
    JsonObject body = new JsonObject().put("model", "openfusion").put("input", PROMPT).put("store", false);
    HttpResponse<Buffer> response = client.post("/v1/responses", body, "traceparent",
      "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01");
    assertThat(response.statusCode()).isEqualTo(200);

    SpanData server = traces.awaitNamed(CLIENT_TRACE, "POST /v1/responses");
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(string(server, "http.route")).isEqualTo("/v1/responses");
    SpanData run = traces.awaitNamed(CLIENT_TRACE, "fusion");
    assertThat(run.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(traces.awaitNamed(CLIENT_TRACE, "chat judge-m").getParentSpanId()).isEqualTo(run.getSpanId());
  }

  @Test
  void aMessagesRequestIsTracedFromItsEdge() {
    JsonObject body = new JsonObject().put("model", "m1").put("max_tokens", 64).put("stream", true)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT)));
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.streamed("m1", List.of("Paris."), 10, 2)));
    HttpResponse<Buffer> response = client.post("/v1/messages", body, "traceparent",
      "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).contains("message_stop");

    SpanData server = traces.awaitNamed(CLIENT_TRACE, "POST /v1/messages");
    assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    SpanData run = traces.awaitNamed(CLIENT_TRACE, "pass_through");
    assertThat(run.getParentSpanId()).isEqualTo(server.getSpanId());
    SpanData call = traces.awaitNamed(CLIENT_TRACE, "chat m1");
    assertThat(call.getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(number(call, "gen_ai.usage.output_tokens")).isEqualTo(2L);
    assertThat(traceparentSentFor("m1")).isEqualTo("00-" + CLIENT_TRACE + "-" + call.getSpanId() + "-01");
  }

  @Test
  void probesMakeNoTraces() {
    assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(client.post("/v1/chat/completions", Client.chat("m1", "ping", false)).statusCode()).isEqualTo(200);
    traces.await(s -> s.getName().equals("pass_through"), "pass-through run");
    assertThat(traces.all()).noneMatch(s -> "/healthz".equals(string(s, "url.path")));
  }

  @Test
  void contentIsRecordedOnlyWhereCaptureIsOn() {
    try (Client captured = Client.create(capturing.httpPort(), false, 0)) {
      assertThat(captured.post("/v1/chat/completions", Client.chat("openfusion", PROMPT, false)).statusCode())
        .isEqualTo(200);
    }
    SpanData m1 = traces.await(s -> s.getName().equals("chat m1"), "member call");
    JsonArray input = new JsonArray(string(m1, "gen_ai.input.messages"));
    assertThat(input.encode()).contains(PROMPT);
    assertThat(string(m1, "gen_ai.output.messages")).contains("Paris is the capital.");
    SpanData judge = traces.awaitNamed(m1.getTraceId(), "chat judge-m");
    assertThat(string(judge, "gen_ai.output.messages")).contains("The capital is Paris.");
  }

  private static String traceparentSentFor(String model) {
    List<LoggedRequest> sent = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", equalTo(model))));
    assertThat(sent).as("calls to " + model).hasSize(1);
    return sent.get(0).getHeader("traceparent");
  }
}
