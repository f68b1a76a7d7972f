package io.openfusion.app.testing;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/** An OpenTelemetry SDK whose spans stay in memory, and ways to read them. */
public final class Traces implements AutoCloseable {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
    // what the SDK configured from the environment reads by default: W3C trace context and baggage
    .setPropagators(ContextPropagators.create(TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
      W3CBaggagePropagator.getInstance())))
    .build();

  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  public void reset() {
    exporter.reset();
  }

  public List<SpanData> all() {
    return exporter.getFinishedSpanItems();
  }

  /** The finished spans of one trace. */
  public List<SpanData> of(String traceId) {
    return all().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  /** Waits until a span matching {@code which} has ended, and returns it. */
  public SpanData await(Predicate<SpanData> which, String what) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
      .until(() -> all().stream().anyMatch(which));
    List<SpanData> found = all().stream().filter(which).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + what + ", got " + found);
    }
    return found.get(0);
  }

  public SpanData awaitNamed(String traceId, String name) {
    return await(s -> s.getTraceId().equals(traceId) && s.getName().equals(name), "span " + name);
  }

  public static String string(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  public static Long number(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.longKey(key));
  }

  @Override
  public void close() {
    sdk.close();
  }
}
