package io.openfusion.shared.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Deadlines travel as absolute epoch milliseconds, so every hop shares one clock budget instead of
 * stacking fresh timeouts on top of each other.
 */
public final class Deadlines {

  /** Extra time a requester waits beyond the work's own deadline, so the worker's answer wins the race. */
  public static final long REPLY_GRACE_MS = 2_000;

  private Deadlines() {
  }

  public static long remaining(long deadline) {
    return Math.max(0, deadline - System.currentTimeMillis());
  }

  /**
   * Delivery options for the parts of a stream ({@link StreamSender}): the deadline only (it bounds the wait for the
   * first part's credit). The request that opened the stream carried the request id ({@link #until}); its parts do
   * not, since copying a header into every part and its answer (a header map per message, the MDC set and restored
   * around each delivery) cost more than the rest of a relayed chunk's bus hop, and what runs on a part logs with
   * explicit ids.
   */
  public static DeliveryOptions forParts(long deadline) {
    return new DeliveryOptions().setSendTimeout(Math.max(1, remaining(deadline) + REPLY_GRACE_MS));
  }

  /** Delivery options whose send timeout ends shortly after {@code deadline}. */
  public static DeliveryOptions until(long deadline, String requestId) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(1, remaining(deadline) + REPLY_GRACE_MS));
    if (requestId != null) {
      options.addHeader(BusHeaders.REQUEST_ID, requestId);
    }
    return options;
  }

  /**
   * Delivery options whose send timeout ends shortly after {@code deadline}, carrying the request id and the trace the
   * work belongs to ({@link TraceHeaders}; null while tracing is off, which adds nothing).
   */
  public static DeliveryOptions until(long deadline, String requestId, TraceHeaders trace) {
    return TraceHeaders.addTo(until(deadline, requestId), trace);
  }
}
