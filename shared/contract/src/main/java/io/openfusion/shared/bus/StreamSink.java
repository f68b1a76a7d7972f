package io.openfusion.shared.bus;

import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;

/**
 * Sends ready-made SSE frames of one request to the api instance holding the client connection.
 *
 * <p>Several producers may write one stream (the router's progress events, the judge's content); they
 * hand the next sequence number to each other, and the api re-orders frames by {@code seq}, so the
 * client sees them in order even when they travel over different cluster connections.
 *
 * <p>Frames sent during one event-loop turn (several upstream events from one network read, a stream's tail)
 * travel as one {@link StreamBatch}: the first frame of a turn schedules the send for the end of that turn, so a
 * lone frame is never held back by a timer, only until the code that produced it returns to the event loop. The
 * frame that ends the stream goes out at once with whatever is still batched, ahead of any reply the producer
 * sends next. Not thread-safe: one producer context uses a sink at a time.
 */
public final class StreamSink {

  private final EventBus eventBus;
  private final String address;
  private final String requestId;
  private byte[] requestIdBytes;
  private int nextSeq;
  private boolean closed;
  /** The frames not sent yet, behind their batch header; null when none. */
  private Buffer batch;
  private int batchFirstSeq;
  private boolean sendScheduled;

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
    batch().appendBuffer(frame);
    added();
  }

  /** Sends {@code "data: " + json + "\n\n"}, framed straight into the batch. */
  public void sendData(String json) {
    if (closed) {
      return;
    }
    SseFrames.appendData(batch(), json);
    added();
  }

  /** Sends the frame that ends the stream, with any frames still batched; nothing is sent after it. */
  public void sendLast(Buffer frame, boolean success) {
    if (closed) {
      return;
    }
    batch().appendBuffer(frame);
    nextSeq++;
    closed = true;
    flush(true, success);
  }

  /** The sequence number the next frame will carry: hand it to the next producer. */
  public int nextSeq() {
    return nextSeq;
  }

  /** Continues numbering after frames another producer sent (the judge hands its next number back). */
  public void resumeAt(int seq) {
    if (batch != null && seq > nextSeq) {
      // frames numbered before the jump must not be mistaken for frames after it
      flush(false, false);
    }
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

  private Buffer batch() {
    if (batch == null) {
      if (requestIdBytes == null) {
        requestIdBytes = StreamBatch.requestIdBytes(requestId);
      }
      batch = StreamBatch.start(requestIdBytes);
      batchFirstSeq = nextSeq;
    }
    return batch;
  }

  private void added() {
    nextSeq++;
    if (sendScheduled) {
      return;
    }
    Context context = Vertx.currentContext();
    if (context == null) {
      // not on a Vert.x thread (tools, tests): nothing else will run in this turn, send now
      flush(false, false);
      return;
    }
    sendScheduled = true;
    context.runOnContext(v -> {
      sendScheduled = false;
      flush(false, false);
    });
  }

  private void flush(boolean last, boolean success) {
    if (batch == null) {
      return;
    }
    Buffer ready = StreamBatch.seal(batch, batchFirstSeq, nextSeq - batchFirstSeq, last, success);
    batch = null;
    eventBus.send(address, ready);
  }
}
