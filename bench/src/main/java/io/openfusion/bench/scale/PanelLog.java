package io.openfusion.bench.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The panel calls a node made, read from its telemetry log ({@code "event":"upstream_call"} lines with
 * {@code "phase":"panel"}): how the event bus spread the members over the nodes, and how long each member call took
 * from the node's side.
 */
final class PanelLog {

  private PanelLog() {
  }

  /**
   * Calls counted, their summed latency (answered calls only) and the calls cancelled part-way (copies the router
   * abandoned after sending the call again elsewhere, or calls of clients that left); the difference of two readings
   * is one measured window.
   */
  record Tally(long calls, long latencyMsSum, long answered, long cancelled) {

    static final Tally NONE = new Tally(0, 0, 0, 0);

    Tally minus(Tally earlier) {
      return new Tally(calls - earlier.calls, latencyMsSum - earlier.latencyMsSum, answered - earlier.answered,
        cancelled - earlier.cancelled);
    }

    Tally plus(Tally other) {
      return new Tally(calls + other.calls, latencyMsSum + other.latencyMsSum, answered + other.answered,
        cancelled + other.cancelled);
    }

    double meanLatencyMs() {
      return answered == 0 ? Double.NaN : (double) latencyMsSum / answered;
    }
  }

  static Tally read(Path log) {
    if (!Files.exists(log)) {
      return Tally.NONE;
    }
    long calls = 0;
    long sum = 0;
    long answered = 0;
    long cancelled = 0;
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        long latency = panelCallLatency(line);
        if (latency < 0) {
          continue;
        }
        calls++;
        if (line.contains("\"outcome\":\"cancelled\"")) {
          cancelled++;
        } else {
          answered++;
          sum += latency;
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // a log line half-written at the moment of reading: the count is one short, not wrong
    }
    return new Tally(calls, sum, answered, cancelled);
  }

  /**
   * Member calls the api node's router sent a second (or later) time because no panel worker confirmed them in time
   * or their node left, counted from its warnings ({@code "member call ... sent again"}).
   */
  static long resends(Path apiLog) {
    if (!Files.exists(apiLog)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(apiLog, StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains("member call") && line.contains("sent again")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  /** The {@code latency_ms} of a panel upstream-call line, 0 when it has none, -1 for any other line. */
  static long panelCallLatency(String line) {
    if (!line.contains("\"event\":\"upstream_call\"") || !line.contains("\"phase\":\"panel\"")) {
      return -1;
    }
    int at = line.indexOf("\"latency_ms\":");
    if (at < 0) {
      return 0;
    }
    int i = at + "\"latency_ms\":".length();
    int end = i;
    while (end < line.length() && Character.isDigit(line.charAt(end))) {
      end++;
    }
    return end == i ? 0 : Long.parseLong(line.substring(i, end));
  }
}
