package io.openfusion.shared.telemetry;

import ch.qos.logback.classic.Level;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TelemetryTest {

  private static final String PLANTED = "sk-planted-0123456789abcdef";

  private PrometheusMeterRegistry registry;
  private Telemetry telemetry;
  private LogCapture upstreamLog;
  private LogCapture requestLog;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    telemetry = Telemetry.create(registry, "node-a");
    upstreamLog = LogCapture.of(Telemetry.UPSTREAM_LOGGER);
    requestLog = LogCapture.of(Telemetry.REQUEST_LOGGER);
  }

  @AfterEach
  void tearDown() {
    upstreamLog.close();
    requestLog.close();
    registry.close();
  }

  @Test
  void countersFollowTheDocumentedSeriesNames() {
    telemetry.upstreamCall(record(Phase.PANEL, Outcome.SUCCESS, 200, usage(10, 5, 0.002)));
    telemetry.upstreamCall(record(Phase.PANEL, Outcome.ERROR, 429, null));
    telemetry.upstreamCall(record(Phase.JUDGE, Outcome.SUCCESS, 200, usage(30, 20, null)));
    telemetry.request(RequestRoute.FUSION, Outcome.SUCCESS, 1234);
    telemetry.request(RequestRoute.PASS_THROUGH, Outcome.ERROR, 50, "req-1", true);
    telemetry.panelMember(true);
    telemetry.panelMember(false);
    telemetry.routerFallback();
    telemetry.responseCache(true);
    telemetry.responseCache(false);
    telemetry.responseCache(false);

    String text = registry.scrape();

    assertThat(value(text, "openfusion_upstream_requests_total", "outcome=\"success\",phase=\"panel\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_upstream_requests_total", "outcome=\"error\",phase=\"panel\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_upstream_requests_total", "outcome=\"success\",phase=\"judge\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_requests_total", "outcome=\"success\",route=\"fusion\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_requests_total", "outcome=\"error\",route=\"pass_through\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_tokens_total", "kind=\"prompt\",node=\"node-a\",phase=\"panel\"")).isEqualTo(10);
    assertThat(value(text, "openfusion_tokens_total", "kind=\"completion\",node=\"node-a\",phase=\"judge\"")).isEqualTo(20);
    assertThat(value(text, "openfusion_cost_usd_total", "phase=\"panel\"")).isEqualTo(0.002);
    assertThat(value(text, "openfusion_panel_members_total", "outcome=\"success\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_panel_members_total", "outcome=\"failure\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_router_fallbacks_total", "node=\"node-a\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_response_cache_total", "outcome=\"hit\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_response_cache_total", "outcome=\"miss\"")).isEqualTo(2);
    assertThat(text).contains("# TYPE openfusion_requests_total counter");
    // no cost reported: no cost series for the judge (a series appears once recorded)
    assertThat(text).doesNotContain("openfusion_cost_usd_total{node=\"node-a\",phase=\"judge\"}");
  }

  @Test
  void latenciesAreHistogramsInSecondsWithFixedBuckets() {
    telemetry.request(RequestRoute.FUSION, Outcome.SUCCESS, 700);
    telemetry.upstreamCall(record(Phase.RANKER, Outcome.SUCCESS, 200, null));

    String text = registry.scrape();

    for (String name : List.of("openfusion_request_latency_seconds", "openfusion_upstream_latency_seconds",
      "openfusion_panel_member_latency_seconds")) {
      assertThat(text).contains("# TYPE " + name + " histogram");
      assertThat(text).contains(name + "_count{").contains(name + "_sum{").contains(name + "_max{");
      assertThat(bucketBounds(text, name)).as(name + " buckets").containsExactly(
        "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "20.0", "30.0", "60.0", "120.0", "300.0", "+Inf");
    }
    assertThat(text).doesNotContain("_ms");
    // 700 ms lands in the (0.5 s, 1 s] bucket: cumulative count 0 at 0.5, 1 at 1.0
    assertThat(value(text, "openfusion_request_latency_seconds_bucket", "node=\"node-a\",route=\"fusion\",le=\"0.5\"")).isZero();
    assertThat(value(text, "openfusion_request_latency_seconds_bucket", "node=\"node-a\",route=\"fusion\",le=\"1.0\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_request_latency_seconds_sum", "route=\"fusion\"")).isEqualTo(0.7);
    assertThat(value(text, "openfusion_upstream_latency_seconds_sum", "phase=\"ranker\"")).isEqualTo(0.12);
  }

  @Test
  void labelsAreBoundedWhateverTheTraffic() {
    for (int i = 0; i < 300; i++) {
      String odd = "member \"" + i + "\"\n{label=\"x\"} " + "z".repeat(i);
      telemetry.upstreamCall(new UpstreamCallRecord(Phase.of(odd), odd, "vendor/model-" + i, i % 2 == 0, 200, null,
        Outcome.SUCCESS, i, null, usage(1, 1, null), "req-" + i));
      telemetry.upstreamCall(record(Phase.values()[i % Phase.values().length], Outcome.values()[i % 3], 200, null));
    }

    String text = registry.scrape();
    Set<String> labelNames = new TreeSet<>();
    List<String> series = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("openfusion_")) {
        series.add(line.substring(0, line.lastIndexOf(' ')));
        Matcher m = Pattern.compile("([a-z_]+)=\"").matcher(line);
        while (m.find()) {
          labelNames.add(m.group(1));
        }
      }
    }
    assertThat(labelNames).isSubsetOf("phase", "outcome", "node", "kind", "route", "le");
    // 8 phases x 3 outcomes upstream counters, 8 phases x 2 kinds tokens, 2 histograms x 8 phases x (14 buckets +
    // count + sum + max): the bound is set by the enums, not by 600 calls with 300 labels and models
    assertThat(series.size()).isLessThanOrEqualTo(8 * 3 + 8 * 2 + 2 * 8 * 17);
    assertThat(text).doesNotContain("vendor/model-").doesNotContain("req-").doesNotContain("member \\\"");
    assertThat(Phase.of("pass-through")).isEqualTo(Phase.OTHER);
    assertThat(Phase.of("pass_through")).isEqualTo(Phase.PASS_THROUGH);
  }

  @Test
  void callIdsNameTheirPhase() {
    assertThat(Phase.ofCallId("panel#0")).isEqualTo(Phase.PANEL);
    assertThat(Phase.ofCallId("debate1#2")).isEqualTo(Phase.DEBATE);
    assertThat(Phase.ofCallId("ranker")).isEqualTo(Phase.RANKER);
    assertThat(Phase.ofCallId("step-draft")).isEqualTo(Phase.PIPELINE);
    assertThat(Phase.ofCallId("step-draft#1")).as("a member of a pipeline's fuse step").isEqualTo(Phase.PANEL);
    assertThat(Phase.ofCallId(null)).isEqualTo(Phase.PANEL);
  }

  @Test
  void upstreamLogLineHasItsFieldsWithoutSecrets() {
    JsonObject body = new JsonObject().put("model", "m-1").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "my key is " + PLANTED)));
    UpstreamCall call = new UpstreamCall("https://user:" + PLANTED + "@llm.example/v1", PLANTED, body, 0, null, "alpha");
    JsonObject echoing = new JsonObject().put("model", "m-1").put("choices", new JsonArray().add(new JsonObject()
        .put("message", new JsonObject().put("content", "you said " + PLANTED))))
      .put("usage", new JsonObject().put("prompt_tokens", 7).put("completion_tokens", 3).put("total_tokens", 10)
        .put("cost", 0.5).put("note", PLANTED));

    telemetry.complete(FakeClient.answering(echoing), call, Phase.PANEL, "req-42");
    telemetry.complete(FakeClient.failing(new UpstreamException(UpstreamException.Kind.HTTP_STATUS, 401,
      "Upstream error (401): invalid key " + PLANTED)), call, Phase.PANEL, "req-43");
    telemetry.complete(FakeClient.failing(new IllegalStateException("boom " + PLANTED)), call, Phase.PANEL, "req-44");

    List<JsonObject> lines = upstreamLog.fields();
    assertThat(lines).hasSize(3);
    assertThat(lines + " " + upstreamLog.messages()).doesNotContain(PLANTED).doesNotContain("llm.example")
      .doesNotContain("you said");
    assertThat(registry.scrape()).doesNotContain(PLANTED);

    JsonObject ok = lines.get(0);
    // the documented layout, in order; unknown values (error, chunks) are left out
    assertThat(List.copyOf(ok.fieldNames())).containsExactly("request_id", "event", "phase", "label", "model", "stream",
      "status", "outcome", "latency_ms", "prompt_tokens", "completion_tokens", "total_tokens", "cost");
    assertThat(ok.getString("event")).isEqualTo("upstream_call");
    assertThat(ok.getString("request_id")).isEqualTo("req-42");
    assertThat(ok.getString("label")).isEqualTo("alpha");
    assertThat(ok.getString("model")).isEqualTo("m-1");
    assertThat(ok.getInteger("status")).isEqualTo(200);
    assertThat(ok.getInteger("total_tokens")).isEqualTo(10);
    assertThat(ok.getDouble("cost")).isEqualTo(0.5);
    assertThat(upstreamLog.events().get(0).getLevel()).isEqualTo(Level.INFO);

    JsonObject rejected = lines.get(1);
    assertThat(rejected.getString("outcome")).isEqualTo("error");
    assertThat(rejected.getInteger("status")).isEqualTo(401);
    assertThat(rejected.getString("error")).isEqualTo("http_status");
    assertThat(upstreamLog.events().get(1).getLevel()).isEqualTo(Level.WARN);

    JsonObject broken = lines.get(2);
    assertThat(broken.containsKey("status")).isFalse();
    assertThat(broken.getString("error")).isEqualTo("other");
  }

  @Test
  void streamsCountChunksAndTreatCutStreamsAsErrors() {
    UpstreamCall call = new UpstreamCall("http://127.0.0.1:1/v1", PLANTED, new JsonObject().put("model", "j"), 0, null, "judge");
    List<String> seen = new ArrayList<>();

    telemetry.stream(FakeClient.streaming(List.of("{\"a\":1}", "{\"b\":2}"), null), call, seen::add, Phase.JUDGE, "r1");
    telemetry.stream(FakeClient.streaming(List.of("{\"a\":1}"),
      new UpstreamException(UpstreamException.Kind.INCOMPLETE_STREAM, 0, "cut")), call, seen::add, Phase.PASS_THROUGH, "r2");
    telemetry.stream(FakeClient.streaming(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"),
      new UpstreamException(UpstreamException.Kind.PROVIDER_ERROR, 0, "in-band error")), call, seen::add, Phase.PIPELINE, "r3");
    telemetry.stream(FakeClient.streaming(List.of(),
      new UpstreamException(UpstreamException.Kind.CANCELLED, 0, "cancelled")), call, seen::add, Phase.JUDGE, "r4");

    assertThat(seen).hasSize(6);
    List<JsonObject> lines = upstreamLog.fields();
    assertThat(lines).extracting(l -> l.getString("outcome")).containsExactly("success", "error", "error", "cancelled");
    assertThat(lines).extracting(l -> l.getInteger("chunks")).containsExactly(2, 1, 3, 0);
    assertThat(lines).extracting(l -> l.getString("error")).containsExactly(null, "incomplete_stream", "provider_error", "cancelled");
    assertThat(lines).extracting(l -> l.getBoolean("stream")).containsOnly(true);
    String text = registry.scrape();
    assertThat(value(text, "openfusion_upstream_requests_total", "outcome=\"error\",phase=\"pass_through\"")).isEqualTo(1);
    assertThat(value(text, "openfusion_upstream_requests_total", "outcome=\"cancelled\",phase=\"judge\"")).isEqualTo(1);
  }

  @Test
  void requestLogLineAndOutcome() {
    telemetry.request(RequestRoute.PIPELINE, Outcome.ERROR, 321, "req-9", true);

    JsonObject line = requestLog.fields().get(0);
    assertThat(List.copyOf(line.fieldNames())).containsExactly("request_id", "event", "route", "outcome", "latency_ms", "stream");
    assertThat(line.getString("request_id")).isEqualTo("req-9");
    assertThat(line.getString("event")).isEqualTo("request");
    assertThat(line.getString("route")).isEqualTo("pipeline");
    assertThat(line.getLong("latency_ms")).isEqualTo(321);
    assertThat(requestLog.events().get(0).getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void withoutMetricsStillLogs() {
    Telemetry logsOnly = Telemetry.withoutMetrics();
    logsOnly.upstreamCall(record(Phase.ROUTER, Outcome.SUCCESS, 200, null));
    logsOnly.request(RequestRoute.FUSION, Outcome.SUCCESS, 1);
    logsOnly.panelMember(true);
    logsOnly.routerFallback();
    logsOnly.responseCache(true);

    assertThat(logsOnly.metricsEnabled()).isFalse();
    assertThat(upstreamLog.events()).hasSize(1);
    assertThat(Telemetry.forRegistry("no-such-registry-" + System.nanoTime(), "n").metricsEnabled()).isFalse();
  }

  @Test
  void exposition_passes_promtool() throws Exception {
    telemetry.upstreamCall(record(Phase.PANEL, Outcome.SUCCESS, 200, usage(10, 5, 0.002)));
    telemetry.request(RequestRoute.FUSION, Outcome.SUCCESS, 1234);
    telemetry.routerFallback();
    telemetry.responseCache(false);
    telemetry.panelMember(true);
    boolean installed = Promtool.ensureInstalled();
    if (Promtool.required()) {
      assertThat(installed).as("promtool (run .ci/install-promtool.sh)").isTrue();
    }
    assumeTrue(installed, "promtool is not installed");

    Promtool.Result result = Promtool.checkMetrics(registry.scrape());

    // not a single finding: names in base units, counters with _total, nothing promtool would advise against
    assertThat(result.clean()).as(result.exitCode() + ": " + result.output()).isTrue();
  }

  private static UpstreamCallRecord record(Phase phase, Outcome outcome, Integer status, JsonObject usage) {
    return new UpstreamCallRecord(phase, "alpha", "m-1", false, status, outcome == Outcome.SUCCESS ? null : "http_status",
      outcome, 120, null, usage, "req-x");
  }

  private static JsonObject usage(int prompt, int completion, Double cost) {
    JsonObject usage = new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
      .put("total_tokens", prompt + completion);
    return cost == null ? usage : usage.put("cost", cost);
  }

  /** The value of the one sample of {@code name} whose labels contain {@code labels}; fails when not exactly one. */
  static double value(String text, String name, String labels) {
    List<Double> values = Exposition.values(text, name, labels);
    assertThat(values).as(name + "{" + labels + "} in\n" + text).hasSize(1);
    return values.get(0);
  }

  private static List<String> bucketBounds(String text, String name) {
    String first = null;
    List<String> bounds = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "_bucket{")) {
        String series = line.replaceAll("le=\"[^\"]*\",?", "");
        first = first == null ? series.substring(0, series.indexOf('}')) : first;
        if (series.startsWith(first)) {
          Matcher m = Pattern.compile("le=\"([^\"]*)\"").matcher(line);
          if (m.find()) {
            bounds.add(m.group(1));
          }
        }
      }
    }
    return bounds;
  }

  /** An upstream client that answers from memory, synchronously. */
  private record FakeClient(JsonObject answer, Throwable failure, List<String> chunks) implements UpstreamClient {

    static FakeClient answering(JsonObject answer) {
      return new FakeClient(answer, null, List.of());
    }

    static FakeClient failing(Throwable failure) {
      return new FakeClient(null, failure, List.of());
    }

    static FakeClient streaming(List<String> chunks, Throwable failureAfterChunks) {
      return new FakeClient(null, failureAfterChunks, chunks);
    }

    @Override
    public Future<JsonObject> complete(UpstreamCall call) {
      return failure != null ? Future.failedFuture(failure) : Future.succeededFuture(answer);
    }

    @Override
    public Future<StreamResult> stream(UpstreamCall call, Handler<String> onData, io.openfusion.shared.upstream.Pace pace) {
      chunks.forEach(onData::handle);
      return failure != null ? Future.failedFuture(failure)
        : Future.succeededFuture(new StreamResult(new JsonObject().put("prompt_tokens", 1), "stop", chunks.size()));
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
