package io.openfusion.shared.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdMdcTest {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void theIdHoldsInsideAndTheOuterOneComesBack() {
    List<String> seen = new ArrayList<>();
    RequestIdMdc.run("outer", () -> {
      seen.add(MDC.get(RequestIdMdc.REQUEST_ID));
      RequestIdMdc.run("inner", () -> seen.add(MDC.get(RequestIdMdc.REQUEST_ID)));
      RequestIdMdc.run(null, () -> seen.add(MDC.get(RequestIdMdc.REQUEST_ID)));
      seen.add(MDC.get(RequestIdMdc.REQUEST_ID));
    });

    assertThat(seen).containsExactly("outer", "inner", null, "outer");
    assertThat(MDC.get(RequestIdMdc.REQUEST_ID)).isNull();
  }

  @Test
  void aFailingTaskLeavesNothingBehind() {
    try {
      RequestIdMdc.run("req-1", () -> {
        throw new IllegalStateException("boom");
      });
    } catch (IllegalStateException expected) {
      // the MDC is what matters here
    }

    assertThat(MDC.get(RequestIdMdc.REQUEST_ID)).isNull();
  }

  @Test
  void traceIdsHoldInsideAndAreRestoredWithTheRequestId() {
    List<String> seen = new ArrayList<>();
    RequestIdMdc.run("req-1", "trace-a", "span-a", () -> {
      seen.add(MDC.get(RequestIdMdc.REQUEST_ID) + "/" + MDC.get(RequestIdMdc.TRACE_ID) + "/" + MDC.get(RequestIdMdc.SPAN_ID));
      RequestIdMdc.run("req-1", "trace-a", "span-b", () -> seen.add(MDC.get(RequestIdMdc.SPAN_ID)));
      seen.add(MDC.get(RequestIdMdc.SPAN_ID));
    });

    assertThat(seen).containsExactly("req-1/trace-a/span-a", "span-b", "span-a");
    assertThat(MDC.get(RequestIdMdc.TRACE_ID)).isNull();
    assertThat(MDC.get(RequestIdMdc.SPAN_ID)).isNull();
    assertThat(MDC.get(RequestIdMdc.REQUEST_ID)).isNull();
  }
}
