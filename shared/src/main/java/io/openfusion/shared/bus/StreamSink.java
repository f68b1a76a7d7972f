package io.openfusion.shared.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

/**
 * Sends ready-made SSE frames of one request to the api instance holding the client connection.
 *
 * <p>Several producers may write one stream (the router's progress events, the judge's content); they
 * hand the next sequence number to each other, and the api re-orders frames by {@code seq}, so the
 * client sees them in order even when they travel over different cluster connections.
 */
public final class StreamSink {

  private final EventBus eventBus;
  private final String address;
  private final String requestId;
  private int nextSeq;
  private boolean closed;

  public StreamSink(EventBus eventBus, String address, String requestId, int firstSeq) {
    this.eventBus = eventBus;
    this.address = address;
    this.requestId = requestId;
    this.nextSeq = firstSeq;
  }

  public void send(Buffer frame) {
    if (closed) {
      return;
    }
    eventBus.send(address, frame, options());
  }

  /** Sends the frame that ends the stream; nothing is sent after it. */
  public void sendLast(Buffer frame, boolean success) {
    if (closed) {
      return;
    }
    eventBus.send(address, frame, options()
      .addHeader(BusHeaders.LAST, "1")
      .addHeader(BusHeaders.OUTCOME, success ? "success" : "error"));
    closed = true;
  }

  /** The sequence number the next frame will carry: hand it to the next producer. */
  public int nextSeq() {
    return nextSeq;
  }

  /** Continues numbering after frames another producer sent (the judge hands its next number back). */
  public void resumeAt(int seq) {
    nextSeq = Math.max(nextSeq, seq);
  }

  /** Frames sent so far by this sink and the producers before it. */
  public boolean started(int firstSeq) {
    return nextSeq > firstSeq;
  }

  public boolean closed() {
    return closed;
  }

  public String requestId() {
    return requestId;
  }

  private DeliveryOptions options() {
    return new DeliveryOptions()
      .addHeader(BusHeaders.REQUEST_ID, requestId)
      .addHeader(BusHeaders.SEQ, Integer.toString(nextSeq++));
  }
}
