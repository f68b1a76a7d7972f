package io.openfusion.shared.telemetry;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * One structured log line: a flat JSON object with its keys sorted, so lines diff and grep the same way every
 * time. Encoding goes through Vert.x's JSON codec, which escapes quotes, control characters and newlines, so a
 * strange model id can never break a line in two.
 */
final class JsonLine {

  /** Longest string value written; model ids and labels are short, anything longer is not worth a log line. */
  static final int MAX_VALUE_CHARS = 200;

  private final Map<String, Object> fields = new TreeMap<>();

  /** Always written, as JSON null when absent, so every line of an event has the same keys. */
  JsonLine put(String key, Object value) {
    fields.put(key, value instanceof String s ? bounded(s) : value);
    return this;
  }

  /** Written only when present (chunks of non-streamed calls, usage the upstream did not report). */
  JsonLine putIfPresent(String key, Object value) {
    return value == null ? this : put(key, value);
  }

  String encode() {
    // JsonObject wraps the TreeMap without copying it, and the codec writes entries in the map's (sorted) order
    return new JsonObject(fields).encode();
  }

  private static String bounded(String value) {
    return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "...";
  }
}
