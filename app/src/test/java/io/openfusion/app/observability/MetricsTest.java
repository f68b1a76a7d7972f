package io.openfusion.app.observability;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.ResponseCacheConfig;
import io.openfusion.shared.telemetry.Exposition;
import io.openfusion.shared.telemetry.LogCapture;
import io.openfusion.shared.telemetry.Promtool;
import io.openfusion.shared.telemetry.Telemetry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /metrics} and the structured logs after real traffic: one fused stream, one pass-through, one pass-through
 * stream the upstream cuts. The upstream key and the prompt carry a planted secret that must show up nowhere.
 */
class MetricsTest {

  private static final String PLANTED = "sk-planted-9f8e7d6c5b4a";

  // listening before the node starts, as an operator's log pipeline would
  private static final LogCapture upstreamLog = LogCapture.of(Telemetry.UPSTREAM_LOGGER);
  private static final LogCapture requestLog = LogCapture.of(Telemetry.REQUEST_LOGGER);

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .stubs(upstream -> {
      upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris.", 10, 5)));
      upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
      upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "is Paris."), 100, 7)));
      upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));
      upstream.stubFor(Upstreams.call("gpt-cut").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(Upstreams.sseBody("gpt-cut", List.of("partial"), 1, 1, false))));
    })
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m")
      .withUpstreams(u -> u.withApiKey(PLANTED))
      .toBuilder().responseCache(new ResponseCacheConfig(true, 300, 16)).build())
    // the tests read what the traffic of the class left behind, in the mock's journal too
    .noReset()
    .build();

  private static String fusedId;
  private static String passId;
  private static String cutId;

  @BeforeAll
  static void traffic(Client client) {
    HttpResponse<Buffer> fused = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital? " + PLANTED, true));
    assertThat(Sse.content(Sse.parse(fused.bodyAsString()))).isEqualTo("The capital is Paris.");
    fusedId = fused.getHeader("X-Request-Id");
    HttpResponse<Buffer> pass = client.post("/v1/chat/completions", Client.chat("gpt-x", "hi " + PLANTED, false));
    assertThat(pass.statusCode()).isEqualTo(200);
    passId = pass.getHeader("X-Request-Id");
    HttpResponse<Buffer> cut = client.post("/v1/chat/completions", Client.chat("gpt-cut", "hi " + PLANTED, true));
    assertThat(Sse.shape(Sse.parse(cut.bodyAsString()))).endsWith("error:upstream_error", "[DONE]");
    cutId = cut.getHeader("X-Request-Id");
    assertThat(List.of(fusedId, passId, cutId)).doesNotContainNull().doesNotHaveDuplicates();
    // the router records a request when its run ends, which may be just after the client saw the stream's end
    await().atMost(Duration.ofSeconds(10)).until(() -> requestLog.fields().stream().filter(MetricsTest::ours).count() == 3);
  }

  @AfterAll
  static void stopCapturing() {
    upstreamLog.close();
    requestLog.close();
  }

  @Test
  void requestAndUpstreamSeriesCountEveryOutcome() {
    String text = scrape();

    assertThat(sample(text, "openfusion_requests_total", "outcome=\"success\",route=\"fusion\"")).isEqualTo(1);
    assertThat(sample(text, "openfusion_requests_total", "outcome=\"success\",route=\"pass_through\"")).isEqualTo(1);
    // the cut stream answered 200 and then an error chunk: an error, not a success
    assertThat(sample(text, "openfusion_requests_total", "outcome=\"error\",route=\"pass_through\"")).isEqualTo(1);
    assertThat(sample(text, "openfusion_upstream_requests_total", "outcome=\"success\",phase=\"panel\"")).isEqualTo(2);
    assertThat(sample(text, "openfusion_upstream_requests_total", "outcome=\"success\",phase=\"judge\"")).isEqualTo(1);
    assertThat(sample(text, "openfusion_upstream_requests_total", "outcome=\"success\",phase=\"pass_through\"")).isEqualTo(1);
    assertThat(sample(text, "openfusion_upstream_requests_total", "outcome=\"error\",phase=\"pass_through\"")).isEqualTo(1);
    assertThat(sample(text, "openfusion_panel_members_total", "outcome=\"success\"")).isEqualTo(2);
    assertThat(sample(text, "openfusion_response_cache_total", "outcome=\"miss\"")).isEqualTo(1);
    assertThat(sample(text, "openfusion_tokens_total", "kind=\"prompt\",node=\"local\",phase=\"panel\"")).isEqualTo(22);
    assertThat(sample(text, "openfusion_tokens_total", "kind=\"completion\",node=\"local\",phase=\"judge\"")).isEqualTo(7);
    assertThat(sample(text, "openfusion_request_latency_seconds_count", "route=\"fusion\"")).isEqualTo(1);
    assertThat(sample(text, "openfusion_upstream_latency_seconds_count", "phase=\"panel\"")).isEqualTo(2);
    assertThat(text).contains("# TYPE openfusion_request_latency_seconds histogram")
      .contains("openfusion_upstream_latency_seconds_bucket{node=\"local\",phase=\"judge\",le=\"+Inf\"} 1");
    // openfusion's own series carry only fixed labels: never a model, a member label or a request id
    assertThat(text.lines().filter(line -> line.startsWith("openfusion_")))
      .allSatisfy(line -> assertThat(line).doesNotContain("m1").doesNotContain("gpt-x").doesNotContain(fusedId));
    assertThat(text).doesNotContain(PLANTED);
  }

  @Test
  void perRequestStateIsGoneOnceTheRequestsEnded() {
    // the three requests above are over: whatever the node kept for them (streams, runs, member calls, cancel
    // signals) is released, so these gauges read 0; a leak shows as a count that only grows
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String text = scrape();
      assertThat(sample(text, "openfusion_api_streams", "node=\"local\"")).isZero();
      assertThat(sample(text, "openfusion_api_in_flight", "node=\"local\"")).isZero();
      assertThat(sample(text, "openfusion_api_body_bytes", "node=\"local\"")).isZero();
      assertThat(sample(text, "openfusion_api_bodies_waiting", "node=\"local\"")).isZero();
      assertThat(sample(text, "openfusion_router_runs", "node=\"local\"")).isZero();
      assertThat(sample(text, "openfusion_router_member_calls", "node=\"local\"")).isZero();
      assertThat(sample(text, "openfusion_bus_streams", "node=\"local\"")).isZero();
      for (String role : List.of("router", "panel", "judge")) {
        assertThat(sample(text, "openfusion_cancel_signals", "role=\"" + role + "\"")).as(role).isZero();
      }
      assertThat(sample(text, "openfusion_worker_calls", "role=\"panel\",state=\"running\"")).isZero();
    });
  }

  @Test
  void oneUpstreamLogLinePerCallWithItsRequestId(WireMockServer upstream) {
    List<JsonObject> lines = upstreamLog.fields().stream().filter(MetricsTest::ours).toList();
    Map<String, List<JsonObject>> byRequest = lines.stream().collect(Collectors.groupingBy(l -> l.getString("request_id")));

    // every upstream call the mock saw has exactly one line
    assertThat(lines).hasSize(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).size()).hasSize(5);
    assertThat(byRequest.get(fusedId)).extracting(l -> l.getString("phase") + "/" + l.getString("model") + "/" + l.getString("outcome"))
      .containsExactlyInAnyOrder("panel/m1/success", "panel/m2/success", "judge/judge-m/success");
    assertThat(byRequest.get(passId)).singleElement().satisfies(l -> {
      assertThat(l.getString("phase")).isEqualTo("pass_through");
      assertThat(l.getInteger("status")).isEqualTo(200);
      assertThat(l.getBoolean("stream")).isFalse();
      assertThat(l.getInteger("total_tokens")).isEqualTo(4);
    });
    assertThat(byRequest.get(cutId)).singleElement().satisfies(l -> {
      assertThat(l.getString("outcome")).isEqualTo("error");
      assertThat(l.getString("error")).isEqualTo("incomplete_stream");
      assertThat(l.getBoolean("stream")).isTrue();
      assertThat(l.getInteger("chunks")).isPositive();
    });
    JsonObject judge = byRequest.get(fusedId).stream().filter(l -> "judge".equals(l.getString("phase"))).findFirst().orElseThrow();
    assertThat(judge.getInteger("chunks")).isPositive();
    assertThat(judge.getInteger("prompt_tokens")).isEqualTo(100);
    assertThat(upstreamLog.fields() + " " + upstreamLog.messages()).doesNotContain(PLANTED).doesNotContain("Capital?");
  }

  @Test
  void oneRequestLogLinePerClientRequest() {
    Map<String, JsonObject> byRequest = requestLog.fields().stream().filter(MetricsTest::ours)
      .collect(Collectors.toMap(l -> l.getString("request_id"), Function.identity()));

    assertThat(byRequest).containsOnlyKeys(fusedId, passId, cutId);
    assertThat(byRequest.get(fusedId).getString("route")).isEqualTo("fusion");
    assertThat(byRequest.get(fusedId).getBoolean("stream")).isTrue();
    assertThat(byRequest.get(passId).getString("outcome")).isEqualTo("success");
    assertThat(byRequest.get(cutId).getString("outcome")).isEqualTo("error");
    assertThat(requestLog.fields() + " " + requestLog.messages()).doesNotContain(PLANTED);
  }

  @Test
  void jvmAndProcessSeriesAreInBaseUnits() {
    String text = scrape();

    assertThat(unlabelled(text, "process_cpu_seconds_total")).isPositive();
    assertThat(Exposition.values(text, "jvm_compilation_seconds_total", "compiler=")).singleElement()
      .satisfies(seconds -> assertThat(seconds).isPositive());
    assertThat(unlabelled(text, "system_cpus")).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(text).contains("# TYPE process_cpu_seconds_total counter", "# TYPE system_cpus gauge")
      .doesNotContain("jvm_compilation_time_ms", "process_cpu_time_ns", "system_cpu_count");
  }

  @Test
  void metricsPassPromtoolWithoutAComplaint() throws Exception {
    boolean installed = Promtool.ensureInstalled();
    if (Promtool.required()) {
      assertThat(installed).as("promtool (run .ci/install-promtool.sh)").isTrue();
    }
    assumeTrue(installed, "promtool is not installed");
    String text = scrape();
    // after the traffic: openfusion's, Vert.x's HTTP server and client, and the JVM's series are all there
    assertThat(text).contains("openfusion_requests_total{", "openfusion_upstream_latency_seconds_bucket{",
      "openfusion_tokens_total{", "vertx_http_server_requests_total{", "vertx_http_client_requests_total{",
      "jvm_memory_used_bytes{");

    Promtool.Result result = Promtool.checkMetrics(text);

    assertThat(result.clean()).as("promtool exit " + result.exitCode() + ":\n" + result.output()).isTrue();
  }

  private static String scrape() {
    HttpResponse<Buffer> response = openfusion.client().get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsString();
  }

  private static double sample(String text, String name, String labels) {
    List<Double> values = Exposition.values(text, name, labels);
    assertThat(values).as(name + "{" + labels + "}").hasSize(1);
    return values.get(0);
  }

  /** The value of a series without labels. */
  private static double unlabelled(String text, String name) {
    List<Double> values = text.lines().filter(line -> line.startsWith(name + " "))
      .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim())).toList();
    assertThat(values).as(name).hasSize(1);
    return values.get(0);
  }

  private static boolean ours(String line) {
    return ours(new JsonObject(line));
  }

  private static boolean ours(JsonObject line) {
    String id = line.getString("request_id");
    return id != null && (id.equals(fusedId) || id.equals(passId) || id.equals(cutId));
  }
}
