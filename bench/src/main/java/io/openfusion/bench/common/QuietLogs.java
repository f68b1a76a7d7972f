package io.openfusion.bench.common;

import io.openfusion.shared.telemetry.Telemetry;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the proxy's per-request and per-upstream-call telemetry lines down to warnings when a harness runs the proxy
 * in its own JVM, so the harness's report is not buried under one log line per call. The loggers are kept here:
 * java.util.logging holds loggers weakly, and a collected logger would forget its level.
 */
public final class QuietLogs {

  private static final List<Logger> TELEMETRY = List.of(Logger.getLogger(Telemetry.REQUEST_LOGGER),
    Logger.getLogger(Telemetry.UPSTREAM_LOGGER));

  private QuietLogs() {
  }

  public static void telemetry() {
    TELEMETRY.forEach(l -> l.setLevel(Level.WARNING));
  }
}
