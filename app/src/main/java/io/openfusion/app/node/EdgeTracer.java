package io.openfusion.app.node;

import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import io.vertx.tracing.opentelemetry.Operation;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The node's Vert.x tracer: Vert.x's OpenTelemetry tracer for the HTTP requests the api serves (a server span per
 * request, continuing the client's {@code traceparent}), and nothing else.
 *
 * <ul>
 *   <li>Event-bus messages are not traced here: Vert.x would add two spans per message, stream parts and credits
 *   included, and end a request's span at its first reply. The request's trace travels instead as headers of the bus
 *   requests themselves, and the router's run and the upstream calls are spans of their own (the tracing module).</li>
 *   <li>HTTP client requests are not traced here either: each upstream call has its span (with the model, tokens and
 *   outcome), and that span is what its {@code traceparent} names; a second span per call would say less.</li>
 *   <li>Probes and scrapes ({@code /healthz}, {@code /metrics}) make no traces.</li>
 * </ul>
 */
final class EdgeTracer implements VertxTracer<Object, Object> {

  /** The routes whose spans are named after them; any other path keeps the bare method (bounded span names). */
  private static final Map<String, String> ROUTES = Map.of(
    "/v1/chat/completions", "/v1/chat/completions",
    "/v1/responses", "/v1/responses",
    "/v1/messages", "/v1/messages",
    "/v1/messages/count_tokens", "/v1/messages/count_tokens",
    "/v1/estimate", "/v1/estimate",
    "/v1/models", "/v1/models");

  private final VertxTracer<Object, Object> http;

  @SuppressWarnings("unchecked")
  EdgeTracer(OpenTelemetry openTelemetry) {
    this.http = (VertxTracer<Object, Object>) new OpenTelemetryTracingFactory(openTelemetry).tracer(new TracingOptions());
  }

  @Override
  public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                                   Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tagExtractor) {
    if (!(request instanceof HttpServerRequest served) || untraced(served.path())) {
      return null;
    }
    Object span = http.receiveRequest(context, kind, policy, request, operation, headers, tagExtractor);
    String route = ROUTES.get(served.path());
    if (route != null && span instanceof Operation named) {
      named.span().updateName(operation + " " + route);
      named.span().setAttribute("http.route", route);
    }
    return span;
  }

  @Override
  public <R> void sendResponse(Context context, R response, Object payload, Throwable failure,
                               TagExtractor<R> tagExtractor) {
    if (payload != null) {
      http.sendResponse(context, response, payload, failure, tagExtractor);
    }
  }

  @Override
  public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                                BiConsumer<String, String> headers, TagExtractor<R> tagExtractor) {
    return null;
  }

  @Override
  public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure,
                                  TagExtractor<R> tagExtractor) {
    // nothing was sent with a span
  }

  @Override
  public void close() {
    http.close();
  }

  private static boolean untraced(String path) {
    return path == null || path.equals("/healthz") || path.equals("/metrics");
  }
}
