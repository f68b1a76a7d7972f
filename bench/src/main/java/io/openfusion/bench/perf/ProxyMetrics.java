package io.openfusion.bench.perf;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the proxy's own Prometheus {@code /metrics} before and after a scenario: GC pauses (count and total time,
 * summed over collectors and causes) and bytes allocated, so a run can tell GC stalls from proxy work.
 */
public final class ProxyMetrics {

  /** Counters at one moment. */
  public record Snapshot(long pauses, double pauseSeconds, double allocatedBytes) {

    public Delta minus(Snapshot before) {
      return new Delta(pauses - before.pauses, Math.round((pauseSeconds - before.pauseSeconds) * 1000),
        Math.round(allocatedBytes - before.allocatedBytes));
    }
  }

  /** What happened between two snapshots. */
  public record Delta(long pauses, long pauseMs, long allocatedBytes) {
  }

  /**
   * The proxy's heap at one moment: bytes in use (live and not yet collected), committed (what the JVM holds from the
   * OS for the heap) and the old generation's size after the last collection (what survived).
   */
  public record Heap(long usedBytes, long committedBytes, long liveDataBytes) {
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();

  private ProxyMetrics() {
  }

  /** @return the counters, or null when the proxy does not answer */
  public static Snapshot scrape(int port) {
    String text = fetch(port);
    return text == null ? null : parse(text);
  }

  /** @return the heap readings, or null when the proxy does not answer */
  public static Heap heap(int port) {
    String text = fetch(port);
    if (text == null) {
      return null;
    }
    long used = 0;
    long committed = 0;
    long live = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        used += Math.round(value(line));
      } else if (line.startsWith("jvm_memory_committed_bytes{") && line.contains("area=\"heap\"")) {
        committed += Math.round(value(line));
      } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
        live += Math.round(value(line));
      }
    }
    return new Heap(used, committed, live);
  }

  private static String fetch(int port) {
    try {
      // a hard deadline: a blocking send() was once seen to outlive its request timeout by minutes
      var pending = HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> r;
      try {
        r = pending.get(6, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        pending.cancel(true);
        return null;
      }
      return r.statusCode() == 200 ? r.body() : null;
    } catch (Exception e) {
      return null;
    }
  }

  static Snapshot parse(String text) {
    long pauses = 0;
    double pauseSeconds = 0;
    double allocated = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("jvm_gc_pause_seconds_count")) {
        pauses += Math.round(value(line));
      } else if (line.startsWith("jvm_gc_pause_seconds_sum")) {
        pauseSeconds += value(line);
      } else if (line.startsWith("jvm_gc_memory_allocated_bytes_total")) {
        allocated += value(line);
      }
    }
    return new Snapshot(pauses, pauseSeconds, allocated);
  }

  private static double value(String line) {
    String[] parts = line.trim().split("\\s+");
    try {
      return Double.parseDouble(parts[parts.length - 1]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
