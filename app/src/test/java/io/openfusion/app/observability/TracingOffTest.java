package io.openfusion.app.observability;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.NodeTracing;
import io.openfusion.app.node.Role;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.logging.RequestIdMdc;
import io.openfusion.shared.telemetry.LogCapture;
import io.openfusion.shared.telemetry.Telemetry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Traces are off and free unless the {@code OTEL_*} environment asks for them: a node started as the CLI starts it has
 * no tracer SDK and no Vert.x tracer, forwards no trace context upstream (not even a client's), and its log lines
 * carry no trace ids. Settings that export nothing leave it off too; the ones that cannot work stop the start.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingOffTest {

  private static WireMockServer upstream;
  private static Node node;

  @BeforeAll
  static void start() {
    assumeTrue(System.getenv().keySet().stream().noneMatch(name -> name.startsWith("OTEL_"))
        && System.getProperties().stringPropertyNames().stream().noneMatch(name -> name.startsWith("otel.")),
      "the build's own environment configures OpenTelemetry");
    upstream = Upstreams.start();
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris is the capital.", 10, 5)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
    upstream.stubFor(Upstreams.call("judge-m")
      .willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "is Paris."), 30, 6)));
    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    OpenFusionConfig config = recipe.withServer(recipe.server().withHost("127.0.0.1").withPort(0));
    node = Node.start(new NodeOptions(config, Role.all(), null, 1, "untraced-" + UUID.randomUUID())).await();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close().await();
    }
    if (upstream != null) {
      upstream.stop();
    }
  }

  @Test
  void nothingConfiguredMeansNoTracerAtAll() {
    assertThat(node.traced()).isFalse();
    assertThat(((VertxInternal) node.vertx()).tracer()).as("the node's Vert.x tracer").isNull();
  }

  @Test
  void settingsThatExportNothingLeaveTracesOff() {
    assertThat(NodeTracing.fromSettings(Map.of()).enabled()).isFalse();
    assertThat(NodeTracing.fromSettings(Map.of("otel.service.name", "openfusion")).enabled())
      .as("a service name alone exports nothing").isFalse();
    assertThat(NodeTracing.fromSettings(Map.of("otel.traces.exporter", "none",
      "otel.exporter.otlp.endpoint", "http://127.0.0.1:4318")).enabled()).isFalse();
    assertThat(NodeTracing.fromSettings(Map.of("otel.sdk.disabled", "true",
      "otel.exporter.otlp.endpoint", "http://127.0.0.1:4318")).enabled()).isFalse();
  }

  @Test
  void theConsoleExporterTurnsTracesOnAndGrpcIsRefused() {
    NodeTracing console = NodeTracing.fromSettings(Map.of("otel.traces.exporter", "console"));
    assertThat(console.enabled()).isTrue();
    console.close().await();
    // the exporter speaks OTLP over HTTP only: asking for gRPC fails where the operator sees it, at start-up
    assertThatThrownBy(() -> NodeTracing.fromSettings(Map.of("otel.exporter.otlp.endpoint", "http://127.0.0.1:4317",
      "otel.exporter.otlp.protocol", "grpc"))).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aRequestCarriesNoTraceAnywhere() {
    upstream.resetRequests();
    List<JsonObject> upstreamLines;
    try (Client client = Client.create(node.httpPort(), false, 0);
         LogCapture log = LogCapture.of(Telemetry.UPSTREAM_LOGGER)) {
      HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "capital?", false),
        "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      assertThat(response.statusCode()).isEqualTo(200);
      upstreamLines = log.fields();
    }
    List<LoggedRequest> sent = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
    assertThat(sent).hasSize(3).allSatisfy(request -> {
      assertThat(request.containsHeader("traceparent")).isFalse();
      assertThat(request.containsHeader("tracestate")).isFalse();
    });
    assertThat(upstreamLines).hasSize(3).allSatisfy(line -> {
      assertThat(line.containsKey(RequestIdMdc.TRACE_ID)).isFalse();
      assertThat(line.getString(RequestIdMdc.REQUEST_ID)).isNotNull();
    });
  }
}
