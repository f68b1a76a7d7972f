package io.openfusion.shared.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceHeadersTest {

  private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void readsTheIdsOfAWellFormedTraceparent() {
    TraceHeaders trace = TraceHeaders.from(MultiMap.caseInsensitiveMultiMap()
      .add("traceparent", PARENT).add("tracestate", "vendor=1"));
    assertThat(trace).isNotNull();
    assertThat(trace.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(trace.spanId()).isEqualTo("b7ad6b7169203331");
    assertThat(trace.tracestate()).isEqualTo("vendor=1");
  }

  @Test
  void noOrMalformedTraceparentIsNoTrace() {
    assertThat(TraceHeaders.from(null)).isNull();
    assertThat(TraceHeaders.from(MultiMap.caseInsensitiveMultiMap())).isNull();
    for (String bad : new String[] {"", "garbage", PARENT.substring(1), PARENT.replace("-01", "_01"),
      PARENT.toUpperCase(), "01" + PARENT.substring(2), PARENT + "-extra"}) {
      assertThat(TraceHeaders.from(MultiMap.caseInsensitiveMultiMap().add("traceparent", bad))).as(bad).isNull();
    }
  }

  @Test
  void deliveryOptionsCarryTheHeadersOnlyWhenThereIsATrace() {
    DeliveryOptions traced = TraceHeaders.addTo(new DeliveryOptions(), new TraceHeaders(PARENT, null));
    assertThat(traced.getHeaders().get("traceparent")).isEqualTo(PARENT);
    assertThat(traced.getHeaders().contains("tracestate")).isFalse();
    assertThat(TraceHeaders.addTo(new DeliveryOptions(), null).getHeaders()).isNull();
    DeliveryOptions withRequest = Deadlines.until(System.currentTimeMillis() + 1_000, "req-1", new TraceHeaders(PARENT, "a=b"));
    assertThat(withRequest.getHeaders().get(BusHeaders.REQUEST_ID)).isEqualTo("req-1");
    assertThat(withRequest.getHeaders().get("tracestate")).isEqualTo("a=b");
  }

  @Test
  void memberCallsKeepTheirTraceOnEveryAttemptButNotInTheirBody() {
    TraceHeaders trace = new TraceHeaders(PARENT, null);
    MemberCall call = new MemberCall("r", "panel#0", new UpstreamRef(UpstreamRef.PANEL, 0, "m", "m"),
      new io.vertx.core.json.JsonObject(), 1L, "c").withTrace(trace);
    assertThat(call.nextAttempt("addr").withAcceptedTo("other").trace()).isSameAs(trace);
    assertThat(call.toJson().encode()).doesNotContain(PARENT);
    assertThat(MemberCall.fromJson(call.toJson()).trace()).isNull();
  }
}
