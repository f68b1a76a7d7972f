package io.openfusion.shared.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what one java.util.logging logger writes, for tests; close it to detach. Telemetry lines are written
 * on a background thread, so reading waits for the lines logged so far.
 */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final Level previous;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.previous = logger.getLevel();
    setLevel(Level.ALL);
    logger.setLevel(Level.INFO);
    logger.addHandler(this);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(Logger.getLogger(loggerName));
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  /** @return the records, in the order they were logged, once the lines logged so far were written */
  public List<LogRecord> records() {
    Telemetry.awaitLogs(10_000);
    return List.copyOf(records);
  }

  /** @return the messages, in the order they were logged */
  public List<String> lines() {
    return records().stream().map(LogRecord::getMessage).toList();
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
