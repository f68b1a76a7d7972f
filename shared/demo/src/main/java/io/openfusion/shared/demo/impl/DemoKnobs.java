package io.openfusion.shared.demo.impl;

import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.MultiMap;

/**
 * Per-request overrides read from {@code x-demo-*} headers, so one provider can serve tests and
 * benchmark scenarios with different timings and faults. A header that is present but malformed is
 * a 400 rather than silently ignored, so a typo in a benchmark is noticed.
 */
public record DemoKnobs(Long firstTokenMs, Long interTokenMs, Long latencyMs, Integer failStatus, Integer tokens) {

  /** Ten minutes: longer than any client timeout worth simulating. */
  static final long MAX_DELAY_MS = 600_000;
  static final long MAX_TOKENS = 10_000_000;

  public static DemoKnobs from(MultiMap headers) {
    Long fail = number(headers, DemoProvider.HEADER_FAIL_STATUS, 400, 599);
    Long tokens = number(headers, DemoProvider.HEADER_TOKENS, 0, MAX_TOKENS);
    return new DemoKnobs(
      number(headers, DemoProvider.HEADER_FIRST_TOKEN_MS, 0, MAX_DELAY_MS),
      number(headers, DemoProvider.HEADER_INTER_TOKEN_MS, 0, MAX_DELAY_MS),
      number(headers, DemoProvider.HEADER_LATENCY_MS, 0, MAX_DELAY_MS),
      fail == null ? null : fail.intValue(),
      tokens == null ? null : tokens.intValue());
  }

  public long firstTokenMs(DemoOptions options) {
    return firstTokenMs == null ? options.firstTokenDelayMs() : firstTokenMs;
  }

  public long interTokenMs(DemoOptions options) {
    return interTokenMs == null ? options.interTokenDelayMs() : interTokenMs;
  }

  public long latencyMs(DemoOptions options) {
    return latencyMs == null ? options.answerDelayMs() : latencyMs;
  }

  private static Long number(MultiMap headers, String name, long min, long max) {
    String raw = headers.get(name);
    if (raw == null) {
      return null;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the accepted range
    }
    throw DemoFailure.badRequest(name + " must be an integer between " + min + " and " + max + ", got '" + raw + "'");
  }
}
