package io.openfusion.shared.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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
   */
  static final double[] LATENCY_BUCKETS_MS = {
    50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000
  };

  private final MeterRegistry registry;
  private final String node;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, DistributionSummary> histograms = new ConcurrentHashMap<>();

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

  /** @param tags label name/value pairs */
  void observe(String name, String help, double value, String... tags) {
    histograms.computeIfAbsent(key(name, tags), k -> DistributionSummary.builder(name)
        .description(help)
        .tags(tags(tags))
        .serviceLevelObjectives(LATENCY_BUCKETS_MS)
        .register(registry))
      .record(value);
  }

  private Tags tags(String... pairs) {
    return Tags.of(pairs).and(NODE_TAG, node);
  }

  private static String key(String name, String... tags) {
    return tags.length == 0 ? name : name + '\u0000' + String.join("\u0000", tags);
  }
}
