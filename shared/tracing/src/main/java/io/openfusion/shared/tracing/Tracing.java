package io.openfusion.shared.tracing;

import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.chat.Json;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Objects;

/**
 * A node's traces: the spans openfusion makes itself, on the OpenTelemetry API. One per node, shared by its verticles
 * (thread-safe). A node without tracing has none: its holders keep null and check for it, so nothing here runs and
 * nothing is allocated per request ({@link RunSpan#NONE} stands in for a run's span).
 *
 * <p>A trace: the api's HTTP server span (made by the node's Vert.x tracer) → the router's {@link RunSpan} → a
 * {@link CallSpan} per upstream call, on whichever node makes it. Between nodes the parent travels as
 * {@link TraceHeaders} in the bus request's headers; each child names its parent explicitly, so no span depends on
 * what is "current" on an event loop that interleaves requests.
 */
public final class Tracing {

  /** The instrumentation scope of openfusion's spans. */
  public static final String SCOPE = "io.openfusion";

  private final Tracer tracer;
  private final boolean captureContent;
  private final String node;

  private Tracing(Tracer tracer, boolean captureContent, String node) {
    this.tracer = tracer;
    this.captureContent = captureContent;
    this.node = node;
  }

  /**
   * @param captureContent record prompts and answers on call spans ({@code telemetry.capture_content})
   * @param node           the node's name, on every span it makes ({@code openfusion.node})
   */
  public static Tracing create(OpenTelemetry openTelemetry, boolean captureContent, String node) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    return new Tracing(openTelemetry.getTracer(SCOPE), captureContent, node);
  }

  public boolean captureContent() {
    return captureContent;
  }

  /**
   * The api's part: the HTTP server span current on this request's context (the node's Vert.x tracer made it, from
   * the client's {@code traceparent} when it sent one), marked with the request id.
   *
   * @return what the request's bus message carries, or null when no span is current
   */
  public TraceHeaders edge(String requestId) {
    Span server = Span.current();
    if (!server.getSpanContext().isValid()) {
      return null;
    }
    if (requestId != null) {
      server.setAttribute(Keys.REQUEST_ID, requestId);
    }
    return W3c.headers(server.getSpanContext());
  }

  /**
   * Starts the router's span of one request, a child of the span that sent it.
   *
   * @param parent what the bus request carried (the api's server span), or null: a trace of its own
   * @param model  the model the client asked for
   */
  public RunSpan run(TraceHeaders parent, String requestId, String model, boolean stream) {
    SpanBuilder builder = tracer.spanBuilder("run")
      .setParent(W3c.parent(parent))
      .setSpanKind(SpanKind.INTERNAL)
      .setAttribute(Keys.STREAM, stream);
    putIfPresent(builder, Keys.REQUEST_ID.getKey(), requestId);
    putIfPresent(builder, Keys.REQUEST_MODEL.getKey(), model);
    putIfPresent(builder, Keys.NODE.getKey(), node);
    return new RecordedRun(builder.startSpan());
  }

  /**
   * Starts the span of one upstream HTTP call, a child of {@code parent} (the run's span, carried here by the bus
   * request when the call runs on a worker node).
   *
   * @param phase    what the call is for: {@code panel}, {@code judge}, {@code pass_through}, ...
   * @param label    the member label (or {@code judge}, {@code router}, a step name), may be null
   * @param baseUrl  the upstream's base URL: only its host and port are recorded
   * @param anthropic whether the upstream speaks Anthropic's protocol
   * @param body     the request body: its model and sampling parameters, and its messages when capturing content
   */
  public CallSpan call(TraceHeaders parent, String phase, String label, String baseUrl, boolean anthropic,
                       boolean stream, String requestId, JsonObject body) {
    String model = body.getValue("model") instanceof String m ? m : null;
    URI endpoint = Providers.endpoint(baseUrl);
    SpanBuilder builder = tracer.spanBuilder(model == null ? "chat" : "chat " + model)
      .setParent(W3c.parent(parent))
      .setSpanKind(SpanKind.CLIENT)
      .setAttribute(Keys.OPERATION, "chat")
      .setAttribute(Keys.PROVIDER, Providers.name(endpoint, anthropic))
      .setAttribute(Keys.STREAM, stream);
    putIfPresent(builder, Keys.REQUEST_MODEL.getKey(), model);
    putIfPresent(builder, Keys.ROLE.getKey(), phase);
    putIfPresent(builder, Keys.LABEL.getKey(), label);
    putIfPresent(builder, Keys.REQUEST_ID.getKey(), requestId);
    putIfPresent(builder, Keys.NODE.getKey(), node);
    if (endpoint != null) {
      builder.setAttribute(Keys.SERVER_ADDRESS, endpoint.getHost());
      builder.setAttribute(Keys.SERVER_PORT, (long) Providers.port(endpoint));
    }
    Object maxTokens = body.getValue("max_completion_tokens") != null ? body.getValue("max_completion_tokens")
      : body.getValue("max_tokens");
    if (maxTokens instanceof Number n) {
      builder.setAttribute(Keys.REQUEST_MAX_TOKENS, n.longValue());
    }
    if (body.getValue("temperature") instanceof Number t) {
      builder.setAttribute(Keys.REQUEST_TEMPERATURE, t.doubleValue());
    }
    if (body.getValue("top_p") instanceof Number p) {
      builder.setAttribute(Keys.REQUEST_TOP_P, p.doubleValue());
    }
    if (captureContent) {
      builder.setAttribute(Keys.INPUT_MESSAGES, Content.input(Json.array(body, "messages")));
    }
    return new CallSpan(builder.startSpan(), captureContent);
  }

  private static void putIfPresent(SpanBuilder builder, String key, String value) {
    if (value != null && !value.isEmpty()) {
      builder.setAttribute(key, value);
    }
  }
}
