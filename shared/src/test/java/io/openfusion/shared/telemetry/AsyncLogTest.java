package io.openfusion.shared.telemetry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AsyncLogTest {

  @Test
  void linesReachTheLoggerAsADirectCallWouldWriteThem() {
    try (LogCapture requests = LogCapture.of(Telemetry.REQUEST_LOGGER)) {
      String caller = Thread.currentThread().getName();
      Telemetry.withoutMetrics().request(RequestRoute.FUSION, Outcome.SUCCESS, 12, "req-async", true);

      LogRecord record = requests.records().get(0);
      assertThat(record.getMessage()).isEqualTo(
        "{\"event\":\"request\",\"latency_ms\":12,\"outcome\":\"success\",\"request_id\":\"req-async\",\"route\":\"fusion\",\"stream\":true}");
      assertThat(record.getLoggerName()).isEqualTo(Telemetry.REQUEST_LOGGER);
      assertThat(record.getLevel()).isEqualTo(Level.INFO);
      // what the formatter prints as the source: the telemetry call, as caller inference found it before
      assertThat(record.getSourceClassName()).isEqualTo(Telemetry.class.getName());
      assertThat(record.getSourceMethodName()).isEqualTo("request");
      assertThat(caller).isNotEqualTo("openfusion-log-writer");
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() {
    Logger logger = Logger.getLogger("openfusion.test.async-log");
    AtomicInteger built = new AtomicInteger();
    AsyncLog log = new AsyncLog(2);
    // no writer yet: the queue fills and the caller must not wait
    for (int i = 0; i < 5; i++) {
      log.submit(logger, Level.INFO, "request", () -> "line " + built.incrementAndGet());
    }
    assertThat(log.dropped()).isEqualTo(3);
    assertThat(built).as("lines are built by the writer, not by the caller").hasValue(0);

    try (LogCapture lines = LogCapture.of(logger.getName()); LogCapture warnings = LogCapture.of(AsyncLog.class.getName())) {
      Thread writer = new Thread(log::drainForever, "test-log-writer");
      writer.setDaemon(true);
      writer.start();

      assertThat(log.flush(10_000)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> !warnings.records().isEmpty());
      assertThat(lines.lines()).containsExactly("line 1", "line 2");
      assertThat(warnings.lines().get(0)).contains("dropped 3 log lines");
      assertThat(warnings.records().get(0).getLevel()).isEqualTo(Level.WARNING);
    }
  }
}
