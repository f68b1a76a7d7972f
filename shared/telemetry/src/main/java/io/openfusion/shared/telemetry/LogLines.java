package io.openfusion.shared.telemetry;

import io.openfusion.shared.logging.RequestIdMdc;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The telemetry log lines' layouts: which fields each event has, in one place. The fields are SLF4J key-value
 * pairs (the JSON log format writes them as top-level keys); an unknown value is left out rather than written as
 * null. The request id is not among them: it travels in the MDC ({@link RequestIdMdc}) like every other line's.
 * Values are strings, numbers and booleans only, so a line can be encoded later on another thread.
 */
final class LogLines {

  /** Longest string value written; model ids and labels are short, anything longer is not worth a log line. */
  static final int MAX_VALUE_CHARS = 200;

  private LogLines() {
  }

  static LoggingEventBuilder upstream(LoggingEventBuilder line, UpstreamCallRecord r) {
    line.setMessage("upstream call");
    add(line, "event", "upstream_call");
    add(line, "phase", r.phase().wire());
    add(line, "label", r.label());
    add(line, "model", r.model());
    add(line, "stream", r.stream());
    add(line, "status", r.status());
    add(line, "outcome", r.outcome().wire());
    add(line, "latency_ms", r.latencyMs());
    add(line, "error", r.error());
    add(line, "chunks", r.chunks());
    add(line, "prompt_tokens", r.promptTokens());
    add(line, "completion_tokens", r.completionTokens());
    add(line, "total_tokens", r.totalTokens());
    add(line, "reasoning_tokens", r.reasoningTokens());
    add(line, "cached_tokens", r.cachedTokens());
    add(line, "cost", r.cost());
    return line;
  }

  static LoggingEventBuilder request(LoggingEventBuilder line, RequestRoute route, Outcome outcome, long latencyMs,
                                     boolean stream) {
    line.setMessage("request");
    add(line, "event", "request");
    add(line, "route", route.wire());
    add(line, "outcome", outcome.wire());
    add(line, "latency_ms", Math.max(0, latencyMs));
    add(line, "stream", stream);
    return line;
  }

  private static void add(LoggingEventBuilder line, String key, Object value) {
    if (value != null) {
      line.addKeyValue(key, value instanceof String s ? bounded(s) : value);
    }
  }

  private static String bounded(String value) {
    return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "...";
  }
}
