package io.openfusion.shared.telemetry;

import io.openfusion.shared.chat.Usages;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What one upstream HTTP call did, for metrics and the {@code openfusion.upstream} log line. Holds metadata only:
 * there is deliberately no field for a body, a URL or a key, so none can leak into logs or metrics.
 *
 * @param phase     what the call was for (a metrics label)
 * @param label     the member label, {@code judge}, {@code router}, {@code pass-through} or a step name: logs only
 * @param model     the model id asked for: logs only
 * @param stream    whether the call was streamed
 * @param status    the upstream HTTP status, or null when none was received (timeout, connect error, cancel)
 * @param error     the failure kind ({@code http_status}, {@code timeout}, {@code incomplete_stream}, ...), null on success
 * @param outcome   success, error or cancelled
 * @param latencyMs wall-clock time of the call
 * @param chunks    SSE data payloads received (streams only, else null)
 * @param usage     the upstream's usage, normalised by {@link Usages#fromJson}; null when none was reported
 * @param requestId the client request the call belongs to, may be null
 */
public record UpstreamCallRecord(Phase phase, String label, String model, boolean stream, Integer status, String error,
                                 Outcome outcome, long latencyMs, Integer chunks, JsonObject usage, String requestId) {

  public UpstreamCallRecord {
    phase = phase == null ? Phase.OTHER : phase;
    outcome = Objects.requireNonNull(outcome, "outcome");
    latencyMs = Math.max(0, latencyMs);
    // keep only the numeric fields: whatever else an upstream put in its usage object stays out of the logs
    usage = Usages.fromJson(usage);
  }

  Long promptTokens() {
    return tokens(Usages.PROMPT);
  }

  Long completionTokens() {
    return tokens(Usages.COMPLETION);
  }

  Long totalTokens() {
    return tokens(Usages.TOTAL);
  }

  /** Reasoning tokens, a part of the completion (or, for some providers, only of the total). */
  Long reasoningTokens() {
    return detail(Usages.COMPLETION_DETAILS, Usages.REASONING);
  }

  /** Prompt tokens read from the provider's prompt cache, a part of the prompt. */
  Long cachedTokens() {
    return detail(Usages.PROMPT_DETAILS, Usages.CACHED);
  }

  private Long detail(String group, String key) {
    return usage != null && usage.getValue(group) instanceof JsonObject d && d.getValue(key) instanceof Number n
      ? n.longValue() : null;
  }

  Double cost() {
    return usage == null || !(usage.getValue(Usages.COST) instanceof Number n) ? null : n.doubleValue();
  }

  private Long tokens(String key) {
    return usage == null || !(usage.getValue(key) instanceof Number n) ? null : n.longValue();
  }
}
