package io.openfusion.app.observability;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.protobuf.InvalidProtocolBufferException;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.NodeTracing;
import io.openfusion.app.node.Role;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node configured the way an operator would (the {@code otel.*} settings that the {@code OTEL_*} variables set)
 * exports its spans over OTLP/HTTP to a receiver on 127.0.0.1, which decodes the protobuf export requests: the spans of
 * a fused request arrive as one trace under the configured service name, and no secret travels with them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpExportTest {

  private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";
  private static final String GATEWAY_KEY = "of-gateway-key-otlp-7Z";

  private static WireMockServer upstream;
  private static Vertx receiverVertx;
  private static HttpServer receiver;
  private static final List<ExportTraceServiceRequest> exports = new CopyOnWriteArrayList<>();
  private static final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private static final List<byte[]> rawExports = new CopyOnWriteArrayList<>();
  private static Node node;

  @BeforeAll
  static void start() {
    upstream = Upstreams.start();
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris is the capital.", 10, 5)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
    upstream.stubFor(Upstreams.call("judge-m")
      .willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "is Paris."), 100, 7)));
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(OtlpExportTest::receive).listen(0, "127.0.0.1").await();

    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    OpenFusionConfig config = recipe.toBuilder().gatewayKeys(List.of(GATEWAY_KEY))
      .server(recipe.server().withHost("127.0.0.1").withPort(0)).build();
    NodeTracing tracing = NodeTracing.fromSettings(Map.of(
      "otel.traces.exporter", "otlp",
      "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + receiver.actualPort(),
      "otel.service.name", "openfusion-otlp-spec",
      "otel.traces.sampler", "parentbased_always_on",
      "otel.bsp.schedule.delay", "50"));
    assertThat(tracing.enabled()).isTrue();
    node = Node.start(new NodeOptions(config, Role.all(), null, 1, "otlp-" + UUID.randomUUID()), tracing).await();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close().await();
    }
    if (receiverVertx != null) {
      receiverVertx.close().await();
    }
    if (upstream != null) {
      upstream.stop();
    }
  }

  /** An OTLP/HTTP traces endpoint: decodes each export request and answers it as a collector does. */
  private static void receive(HttpServerRequest request) {
    if (!request.path().equals("/v1/traces")) {
      request.response().setStatusCode(404).end();
      return;
    }
    contentTypes.add(String.valueOf(request.getHeader("content-type")));
    request.body().onSuccess(body -> {
      try {
        exports.add(ExportTraceServiceRequest.parseFrom(body.getBytes()));
        rawExports.add(body.getBytes());
        request.response().putHeader("content-type", "application/x-protobuf")
          .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (InvalidProtocolBufferException malformed) {
        request.response().setStatusCode(400).end();
      }
    });
  }

  @Test
  void aFusedRequestsSpansArriveAtTheCollectorAsOneTrace() {
    HttpResponse<Buffer> response;
    try (Client client = Client.create(node.httpPort(), false, 0)) {
      response = client.web().post("/v1/chat/completions")
        .putHeader("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01")
        .putHeader("Authorization", "Bearer " + GATEWAY_KEY)
        .sendJsonObject(Client.chat("openfusion", "capital?", true)).await();
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).contains("is Paris.");

    List<String> expected = List.of("POST /v1/chat/completions", "fusion", "chat m1", "chat m2", "chat judge-m");
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
      .until(() -> spans(CLIENT_TRACE).stream().map(Span::getName).toList().containsAll(expected));

    assertThat(contentTypes).allMatch(type -> type.startsWith("application/x-protobuf"));
    assertThat(exports).allSatisfy(export -> assertThat(export.getResourceSpansList()).allSatisfy(resource ->
      assertThat(attribute(resource.getResource().getAttributesList(), "service.name"))
        .contains("openfusion-otlp-spec")));

    List<Span> trace = spans(CLIENT_TRACE);
    assertThat(trace).hasSize(expected.size());
    Span server = named(trace, "POST /v1/chat/completions");
    Span run = named(trace, "fusion");
    assertThat(hex(server.getParentSpanId().toByteArray())).isEqualTo(CLIENT_SPAN);
    assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(run.getParentSpanId()).isEqualTo(server.getSpanId());
    for (String call : List.of("chat m1", "chat m2", "chat judge-m")) {
      Span span = named(trace, call);
      assertThat(span.getParentSpanId()).as(call).isEqualTo(run.getSpanId());
      assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(attribute(span.getAttributesList(), "gen_ai.operation.name")).contains("chat");
      assertThat(attribute(span.getAttributesList(), "gen_ai.request.model")).contains(call.substring(5));
    }
    assertThat(attribute(named(trace, "chat m1").getAttributesList(), "gen_ai.usage.input_tokens")).contains("10");

    // neither the upstream's API key, nor the client's gateway key, nor the prompt travel to the collector
    for (byte[] raw : rawExports) {
      String bytes = new String(raw, StandardCharsets.ISO_8859_1);
      assertThat(bytes).doesNotContain(Upstreams.KEY).doesNotContain(GATEWAY_KEY).doesNotContain("capital?");
    }
  }

  private static List<Span> spans(String traceId) {
    return exports.stream()
      .flatMap(export -> export.getResourceSpansList().stream())
      .flatMap(resource -> resource.getScopeSpansList().stream())
      .flatMap(scope -> scope.getSpansList().stream())
      .filter(span -> hex(span.getTraceId().toByteArray()).equals(traceId))
      .toList();
  }

  private static Span named(List<Span> spans, String name) {
    List<Span> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }

  /** An attribute's value as text (strings as they are, numbers in decimal), if the span or resource has it. */
  private static Optional<String> attribute(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(kv -> kv.getKey().equals(key)).findFirst().map(KeyValue::getValue)
      .map(OtlpExportTest::text);
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> value.toString();
    };
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
