package io.openfusion.app.logging;

import io.openfusion.shared.bus.BusHeaders;
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
    if (INSTALLED.add(vertx)) {
      vertx.eventBus().addInboundInterceptor(BusRequestIds::intercept);
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
}
