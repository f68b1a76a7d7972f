package io.openfusion.shared.tracing;

import io.openfusion.shared.bus.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TracingTest {

  private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final TraceHeaders FROM_API = new TraceHeaders("00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01", null);
  private static final String SECRET_PROMPT = "my card number is 4111";

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;

  @AfterEach
  void close() {
    if (sdk != null) {
      sdk.close();
    }
  }

  private Tracing tracing(boolean capture, Sampler sampler) {
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setSampler(sampler)
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    return Tracing.create(sdk, capture, "node-1");
  }

  private static JsonObject body() {
    return new JsonObject().put("model", "gpt-4o").put("max_tokens", 300).put("temperature", 0.2)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", SECRET_PROMPT)));
  }

  @Test
  void aRunIsAChildOfTheSpanItsRequestNamesAndItsCallsAreItsChildren() {
    Tracing tracing = tracing(false, Sampler.alwaysOn());
    RunSpan run = tracing.run(FROM_API, "req-7", "openfusion", true);
    run.route("fusion");
    run.recipe("panel", "judge");
    run.member("gpt", true, false, null);
    run.member("slow", false, true, "timeout");
    CallSpan call = tracing.call(run.headers(), "panel", "gpt", "https://api.openai.com/v1", false, false, "req-7", body());
    call.completed(new JsonObject().put("model", "gpt-4o-2024-08-06").put("id", "chatcmpl-1")
      .put("choices", new JsonArray().add(new JsonObject().put("finish_reason", "stop")
        .put("message", new JsonObject().put("content", "an answer")))));
    call.end(200, null, "success", null, new JsonObject().put("prompt_tokens", 11).put("completion_tokens", 7)
      .put("cost", 0.002));
    run.end("success", new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 9), null);

    SpanData runSpan = span("fusion");
    SpanData callSpan = span("chat gpt-4o");
    assertThat(runSpan.getTraceId()).isEqualTo(CLIENT_TRACE);
    assertThat(runSpan.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(runSpan.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(attr(runSpan, "openfusion.route")).isEqualTo("fusion");
    assertThat(attr(runSpan, "openfusion.strategy")).isEqualTo("panel");
    assertThat(attr(runSpan, "openfusion.aggregator")).isEqualTo("judge");
    assertThat(attr(runSpan, "openfusion.request_id")).isEqualTo("req-7");
    assertThat(attr(runSpan, "gen_ai.request.model")).isEqualTo("openfusion");
    assertThat(runSpan.getAttributes().get(AttributeKey.stringArrayKey("openfusion.panel.cut"))).containsExactly("slow");
    assertThat(runSpan.getEvents()).hasSize(2);
    assertThat(runSpan.getAttributes().get(AttributeKey.longKey("openfusion.usage.input_tokens"))).isEqualTo(20L);

    assertThat(callSpan.getTraceId()).isEqualTo(CLIENT_TRACE);
    assertThat(callSpan.getParentSpanId()).isEqualTo(runSpan.getSpanId());
    assertThat(callSpan.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(attr(callSpan, "gen_ai.operation.name")).isEqualTo("chat");
    assertThat(attr(callSpan, "gen_ai.provider.name")).isEqualTo("openai");
    assertThat(attr(callSpan, "gen_ai.request.model")).isEqualTo("gpt-4o");
    assertThat(attr(callSpan, "gen_ai.response.model")).isEqualTo("gpt-4o-2024-08-06");
    assertThat(callSpan.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
      .containsExactly("stop");
    assertThat(callSpan.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(11L);
    assertThat(callSpan.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(7L);
    assertThat(callSpan.getAttributes().get(AttributeKey.longKey("gen_ai.request.max_tokens"))).isEqualTo(300L);
    assertThat(callSpan.getAttributes().get(AttributeKey.doubleKey("openfusion.cost_usd"))).isEqualTo(0.002);
    assertThat(attr(callSpan, "server.address")).isEqualTo("api.openai.com");
    assertThat(callSpan.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(443L);
    assertThat(attr(callSpan, "openfusion.role")).isEqualTo("panel");
    assertThat(attr(callSpan, "openfusion.label")).isEqualTo("gpt");
    assertThat(attr(callSpan, "openfusion.node")).isEqualTo("node-1");
    assertThat(exporter.getFinishedSpanItems().toString()).doesNotContain(SECRET_PROMPT).doesNotContain("an answer");
  }

  @Test
  void theCallsHeadersNameTheCallSoTheUpstreamJoinsTheTrace() {
    Tracing tracing = tracing(false, Sampler.alwaysOn());
    CallSpan call = tracing.call(FROM_API, "judge", "judge", "http://127.0.0.1:9/v1", false, true, "r", body());
    TraceHeaders sent = call.headers();
    call.end(null, "timeout", "error", 0, null);

    SpanData span = span("chat gpt-4o");
    assertThat(sent.traceId()).isEqualTo(CLIENT_TRACE);
    assertThat(sent.spanId()).isEqualTo(span.getSpanId());
    assertThat(sent.traceparent()).endsWith("-01");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(span, "error.type")).isEqualTo("timeout");
    assertThat(attr(span, "gen_ai.provider.name")).isEqualTo("127.0.0.1");
  }

  @Test
  void contentIsRecordedOnlyWhenCaptureIsOn() {
    Tracing tracing = tracing(true, Sampler.alwaysOn());
    CallSpan call = tracing.call(null, "judge", "judge", "https://api.anthropic.com", true, true, "r", body());
    call.chunk(new JsonObject().put("model", "claude-x").put("choices", new JsonArray().add(new JsonObject()
      .put("delta", new JsonObject().put("content", "Hel")))).encode());
    call.chunk(new JsonObject().put("choices", new JsonArray().add(new JsonObject()
      .put("delta", new JsonObject().put("content", "lo")))).encode());
    call.streamed("stop");
    call.end(200, null, "success", 2, null);

    SpanData span = span("chat gpt-4o");
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(attr(span, "gen_ai.provider.name")).isEqualTo("anthropic");
    assertThat(attr(span, "gen_ai.response.model")).isEqualTo("claude-x");
    JsonArray input = new JsonArray(attr(span, "gen_ai.input.messages"));
    assertThat(input.getJsonObject(0).getString("role")).isEqualTo("user");
    assertThat(input.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content")).isEqualTo(SECRET_PROMPT);
    JsonArray output = new JsonArray(attr(span, "gen_ai.output.messages"));
    assertThat(output.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content")).isEqualTo("Hello");
    assertThat(output.getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
  }

  @Test
  void anUnsampledParentKeepsItsChildrenUnsampledButStillPropagates() {
    Tracing tracing = tracing(false, Sampler.parentBased(Sampler.alwaysOn()));
    TraceHeaders unsampled = new TraceHeaders("00-" + CLIENT_TRACE + "-00f067aa0ba902b7-00", null);
    RunSpan run = tracing.run(unsampled, "r", "openfusion", false);
    assertThat(run.headers().traceparent()).startsWith("00-" + CLIENT_TRACE).endsWith("-00");
    run.end("success", null, null);
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void noneRecordsNothing() {
    RunSpan none = RunSpan.NONE;
    none.route("fusion");
    none.member("m", false, true, "x");
    none.end("error", null, "x");
    assertThat(none.recording()).isFalse();
    assertThat(none.headers()).isNull();
  }

  private SpanData span(String name) {
    List<SpanData> named = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named " + name + " in " + exporter.getFinishedSpanItems()).hasSize(1);
    return named.get(0);
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }
}
