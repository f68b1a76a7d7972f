package io.openfusion.shared.upstream.impl;

import io.vertx.core.MultiMap;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses {@code Retry-After} (delta seconds or HTTP date) and the OpenAI-style {@code retry-after-ms}. */
final class RetryAfter {

  private static final long MAX_MILLIS = 24L * 3600 * 1000;

  private RetryAfter() {
  }

  /** @return the wait in milliseconds for a 429/503 answer that names one, else -1 */
  static long millis(int status, MultiMap headers, long now) {
    if (status != 429 && status != 503) {
      return -1;
    }
    long ms = parseMillis(headers.get("retry-after-ms"));
    return ms >= 0 ? ms : parse(headers.get("retry-after"), now);
  }

  /** @return milliseconds, or -1 when absent or unparseable */
  static long parse(String value, long now) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return Double.isNaN(seconds) ? -1 : clamp(Math.round(seconds * 1000));
    } catch (NumberFormatException notSeconds) {
      // fall through to an HTTP date
    }
    try {
      long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return clamp(at - now);
    } catch (DateTimeParseException notDate) {
      return -1;
    }
  }

  private static long parseMillis(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      double ms = Double.parseDouble(value.trim());
      return Double.isNaN(ms) ? -1 : clamp(Math.round(ms));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long clamp(long ms) {
    return Math.min(Math.max(ms, 0), MAX_MILLIS);
  }
}
