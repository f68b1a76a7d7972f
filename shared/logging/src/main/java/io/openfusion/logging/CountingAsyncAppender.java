package io.openfusion.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logback's {@link AsyncAppender} (configure it with {@code neverBlock}: a logging thread only queues the event, and
 * one background thread encodes and writes it) that counts the lines it drops and says so. A line is dropped when
 * the queue is full, or, for INFO and below, when it is fuller than the discarding threshold (by default 80 %),
 * which keeps room for warnings. At most every {@code reportIntervalMs} (default {@value #REPORT_INTERVAL_MS} ms),
 * the next line that fits is preceded by a warning on logger {@value #REPORTER} with the number dropped since the
 * previous report and since start.
 */
public final class CountingAsyncAppender extends AsyncAppender {

  static final long REPORT_INTERVAL_MS = 10_000;
  static final String REPORTER = "openfusion.logging";

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reported = new AtomicLong();
  /** As if the last report were long ago, so the first drops are reported at once. */
  private final AtomicLong lastReportNanos = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));
  private long reportIntervalNanos = TimeUnit.MILLISECONDS.toNanos(REPORT_INTERVAL_MS);

  @Override
  protected void append(ILoggingEvent event) {
    if (getRemainingCapacity() == 0 || isQueueBelowDiscardingThreshold() && isDiscardable(event)) {
      dropped.incrementAndGet();
      return;
    }
    reportDrops();
    super.append(event);
  }

  /** How often at most a report of dropped lines is written (a Logback configuration property). */
  public void setReportIntervalMs(long reportIntervalMs) {
    this.reportIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, reportIntervalMs));
  }

  /** Lines dropped since start. */
  public long dropped() {
    return dropped.get();
  }

  private void reportDrops() {
    long total = dropped.get();
    long before = reported.get();
    if (total == before) {
      return;
    }
    long now = System.nanoTime();
    long last = lastReportNanos.get();
    if (now - last < reportIntervalNanos || !lastReportNanos.compareAndSet(last, now)) {
      return;
    }
    reported.set(total);
    LoggingEvent warning = new LoggingEvent(CountingAsyncAppender.class.getName(),
      ((LoggerContext) getContext()).getLogger(REPORTER), Level.WARN,
      "log queue full: dropped {} log lines ({} since start); the log output cannot keep up", null,
      new Object[] {total - before, total});
    super.append(warning);
  }
}
