package io.openfusion.shared.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes telemetry log lines on one background thread, so an event loop never formats, encodes or flushes a log
 * line: the caller only offers the line's ingredients to a bounded queue. When the writer falls behind and the
 * queue is full, lines are dropped (never waited for), counted, and a warning says how many, at most every
 * {@value #DROP_WARNING_INTERVAL_MS} ms.
 *
 * <p>The records reach java.util.logging exactly as a direct call would make them (logger, level, message, the
 * time of the call, and the source class and method a caller lookup would have found), so configured handlers
 * and formatters print the same lines; only the thread that writes them differs.
 */
final class AsyncLog {

  /** About 15 s of lines at 1,000 requests per second with two lines each: a burst fits, a stuck console does not. */
  static final int DEFAULT_CAPACITY = 32_768;
  static final long DROP_WARNING_INTERVAL_MS = 10_000;
  /** How long a JVM shutdown waits for queued lines to reach the handlers. */
  static final long SHUTDOWN_DRAIN_MS = 1_000;

  private static final Logger LOG = Logger.getLogger(AsyncLog.class.getName());
  private static final String SOURCE_CLASS = Telemetry.class.getName();
  private static final AsyncLog SHARED = startShared();

  private final BlockingQueue<Entry> queue;
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private long droppedReported;
  private long lastWarningNanos;

  AsyncLog(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** The JVM's writer (log configuration is per JVM, so one writer serves every node and verticle in it). */
  static AsyncLog shared() {
    return SHARED;
  }

  /**
   * Queues one line; never blocks. {@code message} is called on the writer thread, so building the line costs the
   * caller nothing: it must only read immutable state.
   *
   * @param sourceMethod the {@link Telemetry} method the line is reported from
   */
  void submit(Logger logger, Level level, String sourceMethod, Supplier<String> message) {
    offered.incrementAndGet();
    if (!queue.offer(new Entry(logger, level, sourceMethod, message, Instant.now()))) {
      dropped.incrementAndGet();
    }
  }

  /** Lines dropped because the queue was full, since start. */
  long dropped() {
    return dropped.get();
  }

  /**
   * Waits until every line offered before this call was written or dropped, for tests and shutdown.
   *
   * @return whether that happened within {@code timeoutMs}
   */
  boolean flush(long timeoutMs) {
    long target = offered.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (written.get() + dropped.get() < target) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }

  /** The writer's loop: takes whatever is queued in one go, so a busy queue costs one lock round per batch. */
  void drainForever() {
    List<Entry> batch = new ArrayList<>(256);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // a daemon thread with nothing to clean up: interrupts are not part of its life cycle
        continue;
      }
      queue.drainTo(batch, 255);
      for (Entry entry : batch) {
        write(entry);
      }
      batch.clear();
      warnAboutDrops();
    }
  }

  private void write(Entry entry) {
    try {
      LogRecord record = new LogRecord(entry.level(), entry.message().get());
      record.setLoggerName(entry.logger().getName());
      record.setSourceClassName(SOURCE_CLASS);
      record.setSourceMethodName(entry.sourceMethod());
      record.setInstant(entry.at());
      entry.logger().log(record);
    } catch (RuntimeException e) {
      // a failing handler must not stop the writer; the line is lost, the next ones are not
      LOG.log(Level.WARNING, "could not write a telemetry log line: " + e.getClass().getName());
    } finally {
      written.incrementAndGet();
    }
  }

  private void warnAboutDrops() {
    long total = dropped.get();
    long now = System.nanoTime();
    if (total == droppedReported || now - lastWarningNanos < TimeUnit.MILLISECONDS.toNanos(DROP_WARNING_INTERVAL_MS)) {
      return;
    }
    LOG.warning("telemetry log queue full: dropped " + (total - droppedReported) + " log lines (" + total
      + " since start); the log handler cannot keep up");
    droppedReported = total;
    lastWarningNanos = now;
  }

  private static AsyncLog startShared() {
    AsyncLog log = new AsyncLog(DEFAULT_CAPACITY);
    Thread writer = new Thread(log::drainForever, "openfusion-log-writer");
    writer.setDaemon(true);
    writer.start();
    // best effort: lines of the last requests still reach the handlers when the JVM exits normally
    Runtime.getRuntime().addShutdownHook(new Thread(() -> log.flush(SHUTDOWN_DRAIN_MS), "openfusion-log-drain"));
    return log;
  }

  private record Entry(Logger logger, Level level, String sourceMethod, Supplier<String> message, Instant at) {
  }
}
