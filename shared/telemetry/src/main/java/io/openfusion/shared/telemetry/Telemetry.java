package io.openfusion.shared.telemetry;

import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.logging.RequestIdMdc;
import io.micrometer.core.instrument.MeterRegistry;
import io.openfusion.shared.tracing.CallSpan;
import io.openfusion.shared.tracing.RunSpan;
import io.openfusion.shared.tracing.Tracing;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.upstream.Pace;
import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * openfusion's own metrics and structured logs, one instance per node, shared by every verticle instance on it
 * (thread-safe). Records metadata only: phases, labels, models, statuses, timings, token counts. Nothing here
 * ever sees a prompt, a body, a URL or a key, so none can reach {@code /metrics} or the logs.
 *
 * <p>Metric names (Micrometer's Prometheus naming adds {@code _total} to counters):
 * {@code openfusion_requests_total{route,outcome}}, {@code openfusion_upstream_requests_total{phase,outcome}},
 * {@code openfusion_panel_members_total{outcome}}, {@code openfusion_tokens_total{phase,kind}},
 * {@code openfusion_cost_usd_total{phase}}, {@code openfusion_router_fallbacks_total},
 * {@code openfusion_response_cache_total{outcome}}, and the latency histograms, in seconds (Prometheus' base unit,
 * so the exposition passes {@code promtool check metrics}): {@code openfusion_request_latency_seconds{route}},
 * {@code openfusion_upstream_latency_seconds{phase}}, {@code openfusion_panel_member_latency_seconds{phase}}. Each
 * also carries {@code node}. No member label or model id is ever a label: those are unbounded.
 *
 * <p>Log lines: one per upstream call on logger {@value #UPSTREAM_LOGGER} and one per client request on
 * {@value #REQUEST_LOGGER}; INFO, or WARN when the outcome is an error. Their fields are SLF4J key-value pairs
 * ({@link LogLines}) and their request id the MDC's ({@link RequestIdMdc}); the caller only hands them to SLF4J, and
 * the app's logging setup encodes and writes them on a background thread.
 *
 * <p>Traces, when the node has them ({@link #withTracing}): a span per upstream call made through {@link #complete} or
 * {@link #stream}, the router's span per request ({@link #run}), and the trace ids on the log lines above. Without
 * them every tracing path here is one null check.
 */
public final class Telemetry {

  public static final String UPSTREAM_LOGGER = "openfusion.upstream";
  public static final String REQUEST_LOGGER = "openfusion.request";

  private static final Logger UPSTREAM_LOG = LoggerFactory.getLogger(UPSTREAM_LOGGER);
  private static final Logger REQUEST_LOG = LoggerFactory.getLogger(REQUEST_LOGGER);
  private static final int MAX_NODE_CHARS = 64;

  /** Null when metrics are off: logs are still written. */
  private final Meters meters;
  /** Null when the node has no traces. */
  private final Tracing tracing;

  private Telemetry(Meters meters, Tracing tracing) {
    this.meters = meters;
    this.tracing = tracing;
  }

  /**
   * @param registry where the meters go, or null for logs only
   * @param node     the node's name, the {@code node} tag of every meter
   */
  public static Telemetry create(MeterRegistry registry, String node) {
    return new Telemetry(registry == null ? null : new Meters(registry, nodeTag(node)), null);
  }

  /**
   * Uses the Vert.x Micrometer registry of that name; logs only when Vert.x runs without metrics.
   *
   * @param node the {@code node} tag: the cluster node id when clustered (it tells one cluster's workers apart)
   */
  public static Telemetry forRegistry(String registryName, String node) {
    return create(registryName == null ? null : BackendRegistries.getNow(registryName), node);
  }

  /** Logs only: for verticles deployed without a node (tests, embedding). */
  public static Telemetry withoutMetrics() {
    return new Telemetry(null, null);
  }

  /** The same meters and logs, with the node's traces (null: none). */
  public Telemetry withTracing(Tracing tracing) {
    return new Telemetry(meters, tracing);
  }

  /** @return the node's traces, or null when it has none */
  public Tracing tracing() {
    return tracing;
  }

  /** @return the trace a bus request belongs to (its headers), or null when it carries none or the node has no traces */
  public TraceHeaders trace(MultiMap busHeaders) {
    return tracing == null ? null : TraceHeaders.from(busHeaders);
  }

  /**
   * Starts the router's span of one request, a child of the span its bus request names.
   *
   * @return the span, or {@link RunSpan#NONE} when the node has no traces
   */
  public RunSpan run(MultiMap busHeaders, ChatCommand command) {
    if (tracing == null) {
      return RunSpan.NONE;
    }
    String model = command.body() != null && command.body().getValue("model") instanceof String m ? m : null;
    return tracing.run(TraceHeaders.from(busHeaders), command.requestId(), model, command.stream());
  }

  /** @return whether meters are recorded (logs always are) */
  public boolean metricsEnabled() {
    return meters != null;
  }

  /** One upstream HTTP call: counters, latency histograms, tokens, cost, and its log line. */
  public void upstreamCall(UpstreamCallRecord r) {
    if (meters != null) {
      String phase = r.phase().wire();
      meters.count("openfusion.upstream.requests", "Upstream HTTP calls by phase and outcome", 1,
        "phase", phase, "outcome", r.outcome().wire());
      meters.observeMs("openfusion.upstream.latency", "Upstream call latency", r.latencyMs(), "phase", phase);
      if (r.label() != null) {
        // the per-member series, without the member label (unbounded)
        meters.observeMs("openfusion.panel.member.latency", "Latency of labelled upstream calls", r.latencyMs(),
          "phase", phase);
      }
      tokens(phase, "prompt", r.promptTokens());
      tokens(phase, "completion", r.completionTokens());
      // parts of the counts above, not additions to them: reasoning within completion (or the total), cached within prompt
      tokens(phase, "reasoning", r.reasoningTokens());
      tokens(phase, "cached_prompt", r.cachedTokens());
      if (r.cost() != null && r.cost() > 0) {
        meters.count("openfusion.cost.usd", "Upstream cost in USD, as reported by the upstream", r.cost(),
          "phase", phase);
      }
    }
    Level level = r.outcome() == Outcome.ERROR ? Level.WARN : Level.INFO;
    if (UPSTREAM_LOG.isEnabledForLevel(level)) {
      RequestIdMdc.run(r.requestId(), LogLines.upstream(UPSTREAM_LOG.atLevel(level), r)::log);
    }
  }

  /** One client request the router answered, measured when its response (or stream) ended. */
  public void request(RequestRoute route, Outcome outcome, long latencyMs) {
    request(route, outcome, latencyMs, null, false);
  }

  /** One client request the router answered, measured when its response (or stream) ended; logged too. */
  public void request(RequestRoute route, Outcome outcome, long latencyMs, String requestId, boolean stream) {
    request(route, outcome, latencyMs, requestId, stream, RunSpan.NONE);
  }

  /** The same, the log line carrying the run's trace ({@link RunSpan#NONE}: none). */
  public void request(RequestRoute route, Outcome outcome, long latencyMs, String requestId, boolean stream,
                      RunSpan span) {
    if (meters != null) {
      meters.count("openfusion.requests", "Client requests by route and outcome", 1,
        "route", route.wire(), "outcome", outcome.wire());
      meters.observeMs("openfusion.request.latency", "Client request latency (streams: until the end)", latencyMs,
        "route", route.wire());
    }
    Level level = outcome == Outcome.ERROR ? Level.WARN : Level.INFO;
    if (REQUEST_LOG.isEnabledForLevel(level)) {
      Runnable line = LogLines.request(REQUEST_LOG.atLevel(level), route, outcome, latencyMs, stream)::log;
      if (span.recording()) {
        RequestIdMdc.run(requestId, span.traceId(), span.spanId(), line);
      } else {
        RequestIdMdc.run(requestId, line);
      }
    }
  }

  /** One panel member's outcome as the fusion gathered it (a cut straggler is a failure). */
  public void panelMember(boolean answered) {
    if (meters != null) {
      meters.count("openfusion.panel.members", "Panel member outcomes per gather", 1,
        "outcome", answered ? "success" : "failure");
    }
  }

  /** The Auto Router's classifier failed or answered something unreadable, so the heuristic decided. */
  public void routerFallback() {
    if (meters != null) {
      meters.count("openfusion.router.fallbacks", "Auto Router classifier fallbacks to the heuristic", 1);
    }
  }

  public void responseCache(boolean hit) {
    if (meters != null) {
      meters.count("openfusion.response.cache", "Response cache lookups", 1, "outcome", hit ? "hit" : "miss");
    }
  }

  /** Starts timing one upstream call; finish it with the returned observation's {@code completed}/{@code streamed}. */
  public UpstreamObservation observe(Phase phase, String label, String model, boolean stream, String requestId) {
    return new UpstreamObservation(this, phase, label, model, stream, requestId, null);
  }

  /** {@code client.complete(call)}, recorded as one call of {@code phase} (label and model from the call). */
  public Future<JsonObject> complete(UpstreamClient client, UpstreamCall call, Phase phase, String requestId) {
    return complete(client, call, phase, requestId, null);
  }

  /**
   * The same, traced: the call's span is a child of {@code parent} (the run's span; null: a trace of its own) and is
   * sent upstream as the call's {@code traceparent}.
   */
  public Future<JsonObject> complete(UpstreamClient client, UpstreamCall call, Phase phase, String requestId,
                                     TraceHeaders parent) {
    CallSpan span = tracing == null ? null : span(call, phase, false, requestId, parent);
    UpstreamObservation seen = new UpstreamObservation(this, phase, call.label(), model(call), false, requestId, span);
    return client.complete(span == null ? call : call.withTrace(span.headers())).andThen(seen::completed);
  }

  /** {@code client.stream(call, onData)}, recorded as one streamed call of {@code phase}, chunks counted. */
  public Future<StreamResult> stream(UpstreamClient client, UpstreamCall call, Handler<String> onData, Phase phase,
                                     String requestId) {
    return stream(client, call, onData, Pace.UNLIMITED, phase, requestId);
  }

  /** {@code client.stream(call, onData, pace)}, recorded as one streamed call of {@code phase}, chunks counted. */
  public Future<StreamResult> stream(UpstreamClient client, UpstreamCall call, Handler<String> onData, Pace pace,
                                     Phase phase, String requestId) {
    return stream(client, call, onData, pace, phase, requestId, null);
  }

  /** The same, traced as a child of {@code parent} (see {@link #complete(UpstreamClient, UpstreamCall, Phase, String, TraceHeaders)}). */
  public Future<StreamResult> stream(UpstreamClient client, UpstreamCall call, Handler<String> onData, Pace pace,
                                     Phase phase, String requestId, TraceHeaders parent) {
    CallSpan span = tracing == null ? null : span(call, phase, true, requestId, parent);
    UpstreamObservation seen = new UpstreamObservation(this, phase, call.label(), model(call), true, requestId, span);
    return client.stream(span == null ? call : call.withTrace(span.headers()), seen.counting(onData), pace)
      .andThen(seen::streamed);
  }

  private CallSpan span(UpstreamCall call, Phase phase, boolean stream, String requestId, TraceHeaders parent) {
    return tracing.call(parent, phase.wire(), call.label(), call.baseUrl(), call.provider() == Provider.ANTHROPIC,
      stream, requestId, call.body());
  }


  private void tokens(String phase, String kind, Long count) {
    if (count != null && count > 0) {
      meters.count("openfusion.tokens", "Tokens reported by upstreams", count, "phase", phase, "kind", kind);
    }
  }

  private static String model(UpstreamCall call) {
    return call.body().getValue("model") instanceof String model ? model : null;
  }

  private static String nodeTag(String node) {
    if (node == null || node.isBlank()) {
      return "local";
    }
    String trimmed = node.strip();
    return trimmed.length() <= MAX_NODE_CHARS ? trimmed : trimmed.substring(0, MAX_NODE_CHARS);
  }
}
