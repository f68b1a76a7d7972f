package io.openfusion.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Requests the fake upstream has received, sampled every {@code periodMs} on a daemon thread. While nodes join a
 * running load, this is the throughput over time without touching the load driver: every fusion makes one call per
 * member and one to the judge.
 */
final class UpstreamTimeline implements AutoCloseable {

  /** One reading: milliseconds since the timeline started and the upstream's request count then. */
  record Sample(long atMs, long requests) {
  }

  private final LongSupplier counter;
  private final long startNanos = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-upstream-timeline");
    t.setDaemon(true);
    return t;
  });

  UpstreamTimeline(LongSupplier counter, long periodMs) {
    this.counter = counter;
    timer.scheduleAtFixedRate(this::sample, 0, periodMs, TimeUnit.MILLISECONDS);
  }

  /** Milliseconds since the timeline started. */
  long now() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Takes a reading now (also used to pin the edges of a window). */
  synchronized void sample() {
    samples.add(new Sample(now(), counter.getAsLong()));
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /**
   * Upstream requests per second between the last reading at or before {@code fromMs} and the first at or after
   * {@code toMs}; NaN when the window holds fewer than two readings.
   */
  static double rate(List<Sample> samples, long fromMs, long toMs) {
    Sample first = null;
    Sample last = null;
    for (Sample s : samples) {
      if (s.atMs() <= fromMs) {
        first = s;
      }
      if (s.atMs() >= toMs && last == null) {
        last = s;
      }
    }
    if (first == null && !samples.isEmpty()) {
      first = samples.get(0);
    }
    if (last == null && !samples.isEmpty()) {
      last = samples.get(samples.size() - 1);
    }
    if (first == null || last == null || last.atMs() <= first.atMs()) {
      return Double.NaN;
    }
    return (last.requests() - first.requests()) * 1000.0 / (last.atMs() - first.atMs());
  }

  /** Upstream requests per second in consecutive {@code widthMs} buckets from {@code fromMs} to {@code toMs}. */
  static List<double[]> buckets(List<Sample> samples, long fromMs, long toMs, long widthMs) {
    List<double[]> out = new ArrayList<>();
    for (long t = fromMs; t + widthMs <= toMs; t += widthMs) {
      out.add(new double[] {t, rate(samples, t, t + widthMs)});
    }
    return out;
  }
}
