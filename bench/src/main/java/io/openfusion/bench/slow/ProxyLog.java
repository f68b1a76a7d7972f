package io.openfusion.bench.slow;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy's own account of each request, read from its JSON log (one object per line, the default when its output
 * is not a terminal): the {@code openfusion.request} line, written when the proxy counts the request as done, and the
 * request's streamed {@code openfusion.upstream} line, written when its upstream call ended. Both carry the request id
 * the client sent ({@code X-Request-Id}) and the time they were logged.
 */
final class ProxyLog {

  /** One logged line: when, with what outcome, and the latency the proxy measured. */
  record Line(long atMs, String outcome, long latencyMs) {
  }

  private final Map<String, Line> requests = new HashMap<>();
  private final Map<String, Line> upstreamStreams = new HashMap<>();

  private ProxyLog() {
  }

  static ProxyLog read(Path log) throws IOException {
    ProxyLog out = new ProxyLog();
    if (!Files.exists(log)) {
      return out;
    }
    List<String> lines = Files.readAllLines(log);
    for (String raw : lines) {
      if (!raw.startsWith("{")) {
        continue;
      }
      JsonObject line;
      try {
        line = new JsonObject(raw);
      } catch (DecodeException e) {
        continue;
      }
      String id = line.getString("request_id");
      String logger = line.getString("logger", "");
      if (id == null) {
        continue;
      }
      Line l = new Line(time(line.getString("timestamp")), line.getString("outcome", "?"), longOf(line.getValue("latency_ms")));
      if (logger.equals("openfusion.request")) {
        out.requests.put(id, l);
      } else if (logger.equals("openfusion.upstream") && Boolean.TRUE.equals(line.getValue("stream"))) {
        out.upstreamStreams.put(id, l);
      }
    }
    return out;
  }

  /** The request's done line, or null when the proxy has not logged it. */
  Line request(String id) {
    return requests.get(id);
  }

  /** The line of the request's streamed upstream call (the pass-through's, or the judge's), or null. */
  Line upstream(String id) {
    return upstreamStreams.get(id);
  }

  private static long time(String stamp) {
    if (stamp == null) {
      return -1;
    }
    try {
      return Instant.parse(stamp).toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  private static long longOf(Object v) {
    return v instanceof Number n ? n.longValue() : v instanceof String s && s.matches("-?\\d+") ? Long.parseLong(s) : -1;
  }
}
