package io.openfusion.logging;

import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.telemetry.LogCapture;
import io.openfusion.shared.logging.RequestIdMdc;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A bus handler's own log lines carry the request id its message came with, and only while it runs. */
class BusRequestIdsTest {

  private static final String LOGGER = "io.openfusion.test.bus-handler";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void linesWrittenInsideAHandlerCarryTheMessagesRequestId() {
    BusRequestIds.install(vertx);
    BusRequestIds.install(vertx);
    vertx.eventBus().<String>consumer("test.logged", message -> {
      LOG.info("handling {}", message.body());
      vertx.setTimer(1, id -> LOG.info("later for {}", message.body()));
      message.reply("ok");
    }).completion().await();

    try (LogCapture lines = LogCapture.of(LOGGER)) {
      long deadline = System.currentTimeMillis() + 5_000;
      vertx.eventBus().request("test.logged", "first", Deadlines.until(deadline, "req-1")).await();
      vertx.eventBus().request("test.logged", "second", new DeliveryOptions()).await();
      vertx.eventBus().request("test.logged", "third", Deadlines.until(deadline, "req-3")).await();
      await().until(() -> lines.events().size() == 6);

      List<String> seen = lines.events().stream()
        .filter(event -> event.getFormattedMessage().startsWith("handling"))
        .map(event -> event.getFormattedMessage() + " " + event.getMDCPropertyMap().get(RequestIdMdc.REQUEST_ID))
        .toList();
      assertThat(seen).containsExactly("handling first req-1", "handling second null", "handling third req-3");
      // work the handler left for later runs without it: the MDC belongs to the thread, not to the request
      assertThat(lines.events()).filteredOn(event -> event.getFormattedMessage().startsWith("later"))
        .allSatisfy(event -> assertThat(event.getMDCPropertyMap()).doesNotContainKey(RequestIdMdc.REQUEST_ID));
    }
  }
}
