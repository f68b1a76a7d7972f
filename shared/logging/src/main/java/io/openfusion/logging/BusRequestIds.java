package io.openfusion.logging;

import io.openfusion.shared.bus.BusHeaders;
import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.logging.RequestIdMdc;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Puts the request id a bus message carries ({@link BusHeaders#REQUEST_ID}, set on every request by
 * {@code Deadlines.until}) into the log lines' MDC while its handler runs: what the handler logs synchronously
 * carries {@code request_id}. Work it continues later (a future's callback, a timer) runs without it.
 */
public final class BusRequestIds {

  private static final Set<Vertx> INSTALLED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private BusRequestIds() {
  }

  /** Adds the inbound interceptor to {@code vertx}'s event bus, once. */
  public static void install(Vertx vertx) {
    install(vertx, false);
  }

  /**
   * Adds the inbound interceptor to {@code vertx}'s event bus, once.
   *
   * @param traced whether the node traces: its handlers' lines then also carry the trace the message names
   *               ({@code trace_id}, and as {@code span_id} the span that sent it)
   */
  public static void install(Vertx vertx, boolean traced) {
    if (INSTALLED.add(vertx)) {
      vertx.eventBus().addInboundInterceptor(traced ? BusRequestIds::interceptTraced : BusRequestIds::intercept);
    }
  }

  static void intercept(DeliveryContext<Object> delivery) {
    String requestId = delivery.message().headers().get(BusHeaders.REQUEST_ID);
    if (requestId == null) {
      delivery.next();
    } else {
      RequestIdMdc.run(requestId, delivery::next);
    }
  }

  static void interceptTraced(DeliveryContext<Object> delivery) {
    TraceHeaders trace = TraceHeaders.from(delivery.message().headers());
    if (trace == null) {
      intercept(delivery);
    } else {
      RequestIdMdc.run(delivery.message().headers().get(BusHeaders.REQUEST_ID), trace.traceId(), trace.spanId(),
        delivery::next);
    }
  }
}
