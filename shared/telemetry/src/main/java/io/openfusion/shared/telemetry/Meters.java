package io.openfusion.shared.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Creates openfusion's meters on first use (so, like the original, a series appears only once something was
 * recorded) and keeps them, so the hot path is one map lookup. Every meter carries the {@code node} tag; tag
 * values come from enums, so the number of series is fixed by the code, not by traffic.
 */
final class Meters {

  static final String NODE_TAG = "node";

  /**
   * Latency bucket bounds in ms: from a fast cached answer to a five-minute deadline. Fixed buckets (rather than
   * client-side percentiles) let Prometheus compute p50/p90/p99 across nodes with {@code histogram_quantile}.
   * Exposed in seconds, Prometheus' base unit ({@code le="0.05"} ... {@code le="300.0"}).
   */
  static final long[] LATENCY_BUCKETS_MS = {
    50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000
  };
  private static final Duration[] LATENCY_BUCKETS = Arrays.stream(LATENCY_BUCKETS_MS).mapToObj(Duration::ofMillis)
    .toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final String node;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> histograms = new ConcurrentHashMap<>();

  Meters(MeterRegistry registry, String node) {
    this.registry = registry;
    this.node = node;
  }

  /** @param tags label name/value pairs */
  void count(String name, String help, double amount, String... tags) {
    counters.computeIfAbsent(key(name, tags), k -> Counter.builder(name)
        .description(help)
        .tags(tags(tags))
        .register(registry))
      .increment(amount);
  }

  /**
   * A latency histogram: Prometheus shows it in seconds as {@code <name>_seconds} (bucket, count, sum) and
   * {@code <name>_seconds_max}.
   *
   * @param tags label name/value pairs
   */
  void observeMs(String name, String help, long latencyMs, String... tags) {
    histograms.computeIfAbsent(key(name, tags), k -> Timer.builder(name)
        .description(help)
        .tags(tags(tags))
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry))
      .record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
  }

  private Tags tags(String... pairs) {
    return Tags.of(pairs).and(NODE_TAG, node);
  }

  private static String key(String name, String... tags) {
    return tags.length == 0 ? name : name + '\u0000' + String.join("\u0000", tags);
  }
}
