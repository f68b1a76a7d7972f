package io.openfusion.bench.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.openfusion.shared.telemetry.Telemetry;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Turns the proxy's per-request and per-upstream-call telemetry lines down to warnings when a harness runs the proxy
 * in its own JVM, so the harness's report is not buried under one log line per call.
 */
public final class QuietLogs {

  private QuietLogs() {
  }

  public static void telemetry() {
    for (String name : List.of(Telemetry.REQUEST_LOGGER, Telemetry.UPSTREAM_LOGGER)) {
      if (LoggerFactory.getLogger(name) instanceof Logger logback) {
        logback.setLevel(Level.WARN);
      }
    }
  }
}
