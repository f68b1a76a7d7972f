package io.openfusion.shared.config;

/**
 * What the node's traces may record. YAML: {@code telemetry: {capture_content: false}}. Whether traces are exported at
 * all, where and how often is the {@code OTEL_*} environment's business (OpenTelemetry's own variables), not the
 * config's.
 *
 * @param captureContent record prompts and answers on the upstream calls' spans ({@code gen_ai.input.messages},
 *                       {@code gen_ai.output.messages}). Off by default: traces then hold metadata only (models,
 *                       tokens, timings, outcomes), never text a client or a model wrote
 */
public record TelemetryConfig(boolean captureContent) {

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(false);
  }
}
