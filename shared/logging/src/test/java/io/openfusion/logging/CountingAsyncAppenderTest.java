package io.openfusion.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A console that stops writing: logging threads go on without waiting, and the lost lines are counted and reported. */
class CountingAsyncAppenderTest {

  private final LoggerContext context = new LoggerContext();
  private final CountDownLatch unstuck = new CountDownLatch(1);
  private final List<ILoggingEvent> written = new CopyOnWriteArrayList<>();
  private final CountingAsyncAppender async = new CountingAsyncAppender();

  CountingAsyncAppenderTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @AfterEach
  void stop() {
    unstuck.countDown();
    async.stop();
  }

  @Test
  void aFullQueueDropsCountsAndReportsInsteadOfBlocking() {
    AppenderBase<ILoggingEvent> stuckConsole = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        if (written.isEmpty()) {
          try {
            unstuck.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        written.add(event);
      }
    };
    stuckConsole.setContext(context);
    stuckConsole.start();
    async.setContext(context);
    async.setQueueSize(2);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.setReportIntervalMs(0);
    async.addAppender(stuckConsole);
    async.start();

    async.doAppend(line("first"));
    // the writer took the first line and hangs on the console
    await().atMost(Duration.ofSeconds(10)).until(() -> async.getNumberOfElementsInQueue() == 0);
    for (int i = 0; i < 9; i++) {
      async.doAppend(line("burst " + i));
    }

    assertThat(async.dropped()).as("two lines fit the queue, seven do not").isEqualTo(7);

    unstuck.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 3);
    async.doAppend(line("after"));
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 5);

    assertThat(written).extracting(ILoggingEvent::getFormattedMessage).containsExactly("first", "burst 0", "burst 1",
      "log queue full: dropped 7 log lines (7 since start); the log output cannot keep up", "after");
    assertThat(written.get(3).getLevel()).isEqualTo(Level.WARN);
    assertThat(written.get(3).getLoggerName()).isEqualTo(CountingAsyncAppender.REPORTER);
  }

  private LoggingEvent line(String message) {
    return new LoggingEvent(CountingAsyncAppenderTest.class.getName(), context.getLogger("openfusion.upstream"),
      Level.INFO, message, null, null);
  }
}
