package io.openfusion.shared.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.function.BiConsumer;

/**
 * The trace a piece of work belongs to, in W3C Trace Context form: what a bus request carries in its headers (next to
 * {@link BusHeaders#REQUEST_ID}) and an upstream HTTP call in its own, so the receiver's spans join the sender's trace.
 * Exists only while tracing is on: with tracing off nothing creates one, and every holder keeps null.
 *
 * @param traceparent {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}: the span the work is a child of
 * @param tracestate  vendor state travelling with it, or null
 */
public record TraceHeaders(String traceparent, String tracestate) {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  private static final int TRACE_ID_START = 3;
  private static final int TRACE_ID_END = 35;
  private static final int SPAN_ID_END = 52;

  /** @return the trace context of {@code headers}, or null when they carry none (or a malformed one) */
  public static TraceHeaders from(MultiMap headers) {
    String parent = headers == null ? null : headers.get(TRACEPARENT);
    if (!wellFormed(parent)) {
      return null;
    }
    return new TraceHeaders(parent, headers.get(TRACESTATE));
  }

  /** Adds these headers to a bus request; {@code trace} may be null (tracing off), which adds nothing. */
  public static DeliveryOptions addTo(DeliveryOptions options, TraceHeaders trace) {
    if (trace != null) {
      trace.forEach(options::addHeader);
    }
    return options;
  }

  /** Hands each header (name, value) to {@code put}: the traceparent, and the tracestate when there is one. */
  public void forEach(BiConsumer<String, String> put) {
    put.accept(TRACEPARENT, traceparent);
    if (tracestate != null && !tracestate.isEmpty()) {
      put.accept(TRACESTATE, tracestate);
    }
  }

  /** @return the 32-hex-digit trace id, as the log lines carry it */
  public String traceId() {
    return traceparent.substring(TRACE_ID_START, TRACE_ID_END);
  }

  /** @return the 16-hex-digit id of the span the work is a child of */
  public String spanId() {
    return traceparent.substring(TRACE_ID_END + 1, SPAN_ID_END);
  }

  /** Version 00's shape only: anything else is treated as no trace rather than guessed at. */
  static boolean wellFormed(String traceparent) {
    if (traceparent == null || traceparent.length() != 55 || !traceparent.startsWith("00-")
      || traceparent.charAt(TRACE_ID_END) != '-' || traceparent.charAt(SPAN_ID_END) != '-') {
      return false;
    }
    for (int i = TRACE_ID_START; i < traceparent.length(); i++) {
      char c = traceparent.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!hex && i != TRACE_ID_END && i != SPAN_ID_END) {
        return false;
      }
    }
    return true;
  }
}
