package io.openfusion.shared.tracing;

import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.chat.Usages;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A run being traced. Used on the router instance's event loop; ended once. */
final class RecordedRun implements RunSpan {

  private final Span span;
  private final TraceHeaders headers;
  private final List<String> cut = new ArrayList<>();
  private final AtomicBoolean ended = new AtomicBoolean();

  RecordedRun(Span span) {
    this.span = span;
    this.headers = W3c.headers(span.getSpanContext());
  }

  @Override
  public boolean recording() {
    return true;
  }

  @Override
  public TraceHeaders headers() {
    return headers;
  }

  @Override
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  @Override
  public String spanId() {
    return span.getSpanContext().getSpanId();
  }

  @Override
  public void route(String route) {
    span.setAttribute(Keys.ROUTE, route);
    span.updateName(route);
  }

  @Override
  public void recipe(String strategy, String aggregator) {
    span.setAttribute(Keys.STRATEGY, strategy);
    span.setAttribute(Keys.AGGREGATOR, aggregator);
  }

  @Override
  public void target(String model) {
    if (model != null) {
      span.setAttribute(Keys.TARGET_MODEL, model);
    }
  }

  @Override
  public void autoRouter(String reason) {
    if (reason != null) {
      span.setAttribute(Keys.AUTO_ROUTER, reason);
    }
  }

  @Override
  public void cached(boolean hit) {
    span.setAttribute(Keys.CACHE_HIT, hit);
  }

  @Override
  public void member(String label, boolean ok, boolean cutOff, String error) {
    AttributesBuilder event = Attributes.builder().put(Keys.OK, ok).put(Keys.CUT_STRAGGLER, cutOff);
    if (label != null) {
      event.put(Keys.LABEL, label);
    }
    if (error != null) {
      event.put(Keys.ERROR_TYPE, error);
    }
    span.addEvent("panel_member", event.build());
    if (cutOff && label != null) {
      cut.add(label);
      span.setAttribute(Keys.CUT, List.copyOf(cut));
    }
  }

  @Override
  public void fallback(String reason) {
    span.setAttribute(Keys.FALLBACK, reason);
  }

  @Override
  public void end(String outcome, JsonObject usage, String error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    span.setAttribute(Keys.OUTCOME, outcome);
    JsonObject counts = Usages.fromJson(usage);
    if (counts != null) {
      Spans.putLong(span, Keys.RUN_INPUT_TOKENS, counts.getValue(Usages.PROMPT));
      Spans.putLong(span, Keys.RUN_OUTPUT_TOKENS, counts.getValue(Usages.COMPLETION));
      if (counts.getValue(Usages.COST) instanceof Number cost) {
        span.setAttribute(Keys.COST, cost.doubleValue());
      }
    }
    if ("error".equals(outcome)) {
      if (error != null) {
        span.setAttribute(Keys.ERROR_TYPE, error);
      }
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}
