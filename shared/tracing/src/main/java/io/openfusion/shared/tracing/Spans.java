package io.openfusion.shared.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/** Small helpers for attributes read from JSON. */
final class Spans {

  private Spans() {
  }

  static void putLong(Span span, AttributeKey<Long> key, Object value) {
    if (value instanceof Number n) {
      span.setAttribute(key, n.longValue());
    }
  }

  static void putDouble(Span span, AttributeKey<Double> key, Object value) {
    if (value instanceof Number n) {
      span.setAttribute(key, n.doubleValue());
    }
  }

  static void putString(Span span, AttributeKey<String> key, Object value) {
    if (value instanceof String s && !s.isEmpty()) {
      span.setAttribute(key, s);
    }
  }
}
