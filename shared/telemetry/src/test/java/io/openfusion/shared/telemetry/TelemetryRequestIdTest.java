package io.openfusion.shared.telemetry;

import io.openfusion.shared.logging.RequestIdMdc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryRequestIdTest {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void aTelemetryLineCarriesItsOwnRequestIdWhateverTheHandlerIsWorkingOn() {
    try (LogCapture requests = LogCapture.of(Telemetry.REQUEST_LOGGER)) {
      RequestIdMdc.run("req-handling", () -> {
        Telemetry.withoutMetrics().request(RequestRoute.FUSION, Outcome.SUCCESS, 5, "req-finished", false);
        assertThat(MDC.get(RequestIdMdc.REQUEST_ID)).isEqualTo("req-handling");
      });

      assertThat(requests.fields()).extracting(line -> line.getString("request_id")).containsExactly("req-finished");
    }
  }
}
