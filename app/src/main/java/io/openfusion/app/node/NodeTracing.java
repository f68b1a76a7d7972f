package io.openfusion.app.node;

import io.openfusion.shared.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxBuilder;
import io.vertx.core.spi.VertxTracerFactory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Whether a node traces, and with what. Traces are on only when the standard OpenTelemetry environment asks for them
 * ({@code OTEL_TRACES_EXPORTER} other than {@code none}, or an OTLP endpoint); then the SDK is built from that
 * environment ({@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}, the sampler, the exporter and its
 * endpoint, headers, protocol, batch settings; system properties such as {@code -Dotel.traces.exporter=otlp} too).
 * Otherwise the node has no tracer at all: Vert.x gets none, and openfusion's spans are never made.
 *
 * <p>Only traces: metrics stay on {@code /metrics} and logs on stderr, so the SDK's metric and log exporters default
 * to none. Spans go out over OTLP/HTTP (the JDK's HTTP client) or to the console ({@code OTEL_TRACES_EXPORTER=console}).
 */
public final class NodeTracing {

  /** The service name when the environment names none. */
  static final String SERVICE_NAME = "openfusion";

  private static final NodeTracing OFF = new NodeTracing(null, null);

  /**
   * What the node assumes unless the environment says otherwise: traces only (metrics stay on {@code /metrics}, logs
   * on stderr), and OTLP over HTTP, the one transport its exporter carries (the JDK's HTTP client, no gRPC stack).
   */
  private static final Map<String, String> DEFAULTS = Map.of(
    "otel.metrics.exporter", "none",
    "otel.logs.exporter", "none",
    "otel.exporter.otlp.protocol", "http/protobuf");

  private final OpenTelemetry openTelemetry;
  /** The SDK this node built and must shut down (flushing its last spans); null when it was given one, or off. */
  private final OpenTelemetrySdk owned;

  private NodeTracing(OpenTelemetry openTelemetry, OpenTelemetrySdk owned) {
    this.openTelemetry = openTelemetry;
    this.owned = owned;
  }

  /** No traces. */
  public static NodeTracing off() {
    return OFF;
  }

  /** Traces through an OpenTelemetry the caller built and closes (tests, embedding). */
  public static NodeTracing using(OpenTelemetry openTelemetry) {
    return new NodeTracing(openTelemetry, null);
  }

  /** As the process's system properties and environment say: {@link #off()} unless they ask for traces. */
  public static NodeTracing fromEnvironment() {
    return fromSettings(Map.of());
  }

  /**
   * As {@code settings} say (property names, {@code otel.traces.exporter}), the process's system properties and
   * environment still taking precedence over them: for a node embedded with settings of its own, and tests.
   */
  public static NodeTracing fromSettings(Map<String, String> settings) {
    Function<String, String> setting = name -> {
      String property = System.getProperty(name);
      String env = property != null ? property : System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
      return env != null ? env : settings.get(name);
    };
    return requested(setting) ? built(settings) : OFF;
  }

  private static NodeTracing built(Map<String, String> settings) {
    Map<String, String> defaults = new HashMap<>(DEFAULTS);
    defaults.putAll(settings);
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
      .addPropertiesSupplier(() -> defaults)
      .addResourceCustomizer((resource, config) -> named(resource))
      .build()
      .getOpenTelemetrySdk();
    return new NodeTracing(sdk, sdk);
  }

  /** Whether the environment asks for traces: an exporter other than none, or somewhere to send them. */
  static boolean requested(Function<String, String> setting) {
    if ("true".equalsIgnoreCase(trimmed(setting.apply("otel.sdk.disabled")))) {
      return false;
    }
    String exporter = trimmed(setting.apply("otel.traces.exporter"));
    if (exporter != null) {
      return !exporter.equalsIgnoreCase("none");
    }
    return trimmed(setting.apply("otel.exporter.otlp.endpoint")) != null
      || trimmed(setting.apply("otel.exporter.otlp.traces.endpoint")) != null;
  }

  public boolean enabled() {
    return openTelemetry != null;
  }

  /** Gives the Vert.x instance its tracer (the api's server spans); nothing when off. */
  VertxBuilder applyTo(VertxBuilder builder) {
    if (openTelemetry == null) {
      return builder;
    }
    OpenTelemetry traces = openTelemetry;
    VertxTracerFactory factory = options -> new EdgeTracer(traces);
    return builder.withTracer(factory);
  }

  /**
   * @param node           the node's name, on every span it makes
   * @param captureContent {@code telemetry.capture_content}
   * @return the node's traces for its verticles, or null when off
   */
  Tracing tracing(String node, boolean captureContent) {
    return openTelemetry == null ? null : Tracing.create(openTelemetry, captureContent, node);
  }

  /** Flushes and stops the SDK this node built; completes at once otherwise. */
  public Future<Void> close() {
    if (owned == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    CompletableResultCode shutdown = owned.shutdown();
    shutdown.whenComplete(() -> done.tryComplete());
    return done.future();
  }

  private static Resource named(Resource resource) {
    String name = resource.getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"));
    if (name != null && !name.startsWith("unknown_service")) {
      return resource;
    }
    return resource.merge(Resource.builder().put("service.name", SERVICE_NAME).build());
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
