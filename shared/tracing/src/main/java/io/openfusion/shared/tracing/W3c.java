package io.openfusion.shared.tracing;

import io.openfusion.shared.bus.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Between {@link TraceHeaders} and OpenTelemetry's context, in W3C Trace Context. Used for the hops openfusion makes
 * itself (the event bus, the upstream calls), whatever propagators the environment configured for the edge: the bus
 * is ours, and W3C is what LLM providers and gateways read. Baggage is never forwarded: a client's baggage is its own
 * business, not a provider's.
 */
final class W3c {

  private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<TraceHeaders> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(TraceHeaders carrier) {
      return List.of(TraceHeaders.TRACEPARENT, TraceHeaders.TRACESTATE);
    }

    @Override
    public String get(TraceHeaders carrier, String key) {
      if (carrier == null) {
        return null;
      }
      return TraceHeaders.TRACEPARENT.equals(key) ? carrier.traceparent()
        : TraceHeaders.TRACESTATE.equals(key) ? carrier.tracestate() : null;
    }
  };

  private W3c() {
  }

  /** The context whose span is the one {@code headers} name; the root context when null (a trace of its own). */
  static Context parent(TraceHeaders headers) {
    return headers == null ? Context.root() : PROPAGATOR.extract(Context.root(), headers, GETTER);
  }

  /** @return the headers naming {@code span} as the parent; null when its context is invalid */
  static TraceHeaders headers(SpanContext span) {
    if (!span.isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(2);
    PROPAGATOR.inject(Context.root().with(Span.wrap(span)), carrier, Map::put);
    String parent = carrier.get(TraceHeaders.TRACEPARENT);
    return parent == null ? null : new TraceHeaders(parent, carrier.get(TraceHeaders.TRACESTATE));
  }
}
