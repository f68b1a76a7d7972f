package io.openfusion.shared.telemetry;

/** The structured log lines' layouts: which fields each event has, in one place. */
final class LogLines {

  private LogLines() {
  }

  static String upstream(UpstreamCallRecord r) {
    return new JsonLine()
      .put("event", "upstream_call")
      .put("request_id", r.requestId())
      .put("phase", r.phase().wire())
      .put("label", r.label())
      .put("model", r.model())
      .put("stream", r.stream())
      .put("status", r.status())
      .put("outcome", r.outcome().wire())
      .put("latency_ms", r.latencyMs())
      .putIfPresent("error", r.error())
      .putIfPresent("chunks", r.chunks())
      .putIfPresent("prompt_tokens", r.promptTokens())
      .putIfPresent("completion_tokens", r.completionTokens())
      .putIfPresent("total_tokens", r.totalTokens())
      .putIfPresent("reasoning_tokens", r.reasoningTokens())
      .putIfPresent("cached_tokens", r.cachedTokens())
      .putIfPresent("cost", r.cost())
      .encode();
  }

  static String request(RequestRoute route, Outcome outcome, long latencyMs, String requestId, boolean stream) {
    return new JsonLine()
      .put("event", "request")
      .put("request_id", requestId)
      .put("route", route.wire())
      .put("outcome", outcome.wire())
      .put("latency_ms", Math.max(0, latencyMs))
      .put("stream", stream)
      .encode();
  }
}
