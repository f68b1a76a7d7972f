package io.openfusion.router.stream;

import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.bus.StreamBatchCodec;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.sse.SseFrames;
import io.openfusion.shared.upstream.Pace;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;

/**
 * The one writer of a client's stream: every frame of a streamed request, whoever produced it (progress, the judge's
 * text, a pass-through's chunks, the tail), goes to the api instance holding the connection through here, in order,
 * as {@link StreamBatch}es ({@link StreamSender}: the first as the request's reply, the others to the api's post).
 *
 * <p>Frames produced in one event-loop turn travel as one batch; while a batch is on its way (the api answers it once
 * its socket can take more), new frames wait and go as the next one. When more than {@link #HIGH_WATER} bytes wait,
 * the stream is {@link #full()}: producers hold back (a pass-through pauses its upstream response, the judge's text
 * waits at the judge), so a slow client slows the provider down instead of filling this node's memory.
 *
 * <p>The stream ends once: {@link #end} (the last frames; completes when the api says the client has them) or
 * {@link #fail} (an HTTP error before the first frame, an error chunk and {@code [DONE]} after). Not thread-safe: the
 * router instance's context writes it.
 */
public final class ClientStream implements Pace {

  /** Bytes waiting for the api beyond which producers hold back. */
  public static final int HIGH_WATER = 64 * 1024;

  private final Context context;
  private final StreamSender sender;
  private final Promise<Void> gone = Promise.promise();
  /** Frames waiting for the api, behind their batch header; null when none. */
  private Buffer batch;
  private boolean flushScheduled;
  private Runnable whenReady;
  private boolean written;
  /** Set once the stream is ending: the last batch's outcome flag and its delivery. */
  private Boolean endedWell;
  private Promise<Void> delivered;

  /**
   * @param request  the api's {@code router.chat} request, naming its stream receiver
   * @param deadline the request's deadline: how long the api may hold the credit while its client catches up
   * @throws IllegalArgumentException when the request names no receiver ({@link StreamSender#opensStream})
   */
  public ClientStream(Vertx vertx, Message<?> request, long deadline) {
    this.context = vertx.getOrCreateContext();
    this.sender = StreamSender.answering(StreamPost.of(vertx), request, StreamBatchCodec.options(deadline), deadline);
    // the api may stop the stream while this side holds a credit (its node shuts down): producers learn it at once
    sender.gone().onFailure(this::lost);
  }

  public void write(Buffer frame) {
    if (endedWell == null) {
      batch().appendBuffer(frame);
      written();
    }
  }

  /** Writes {@code data: <json>}, framed straight into the batch. */
  public void writeData(String json) {
    if (endedWell == null) {
      SseFrames.appendData(batch(), json);
      written();
    }
  }

  /** @return whether a frame was written: from then on a failure ends the stream in-band, not as an HTTP status */
  public boolean started() {
    return written;
  }

  public boolean ended() {
    return endedWell != null;
  }

  /** Fails when the api stopped taking frames: its client left, its node died, or the deadline passed. */
  public Future<Void> gone() {
    return gone.future();
  }

  /**
   * Ends the stream after the frames written so far.
   *
   * @param success whether the stream ends without an error (for the api's books)
   * @return completes when the api confirmed the client has the last byte; fails when it stopped listening first
   */
  public Future<Void> end(boolean success) {
    if (endedWell == null) {
      endedWell = success;
      delivered = Promise.promise();
      if (gone.future().failed()) {
        // nobody takes the last part: the ending can never be delivered
        delivered.fail(gone.future().cause());
        return delivered.future();
      }
      batch();
      flush();
    }
    return delivered.future();
  }

  /**
   * Ends the stream with {@code error}: the HTTP error itself when nothing was written yet, else an error chunk and
   * {@code [DONE]} after what the client already has.
   */
  public Future<Void> fail(ApiError error) {
    if (endedWell != null) {
      return delivered.future();
    }
    if (!written && !sender.started()) {
      endedWell = false;
      delivered = Promise.promise();
      sender.refuse(error);
      delivered.complete();
      return delivered.future();
    }
    writeData(Completions.errorChunk(error.errorObject()).encode());
    write(SseFrames.done());
    return end(false);
  }

  @Override
  public boolean full() {
    return batch != null && StreamBatch.framesLength(batch) >= HIGH_WATER;
  }

  @Override
  public void whenReady(Runnable ready) {
    if (!full() || gone.future().isComplete()) {
      ready.run();
    } else {
      whenReady = ready;
    }
  }

  private Buffer batch() {
    if (batch == null) {
      batch = StreamBatch.start();
    }
    return batch;
  }

  /** Sends at the end of this event-loop turn, so what the turn produces goes as one batch. */
  private void written() {
    written = true;
    if (flushScheduled || !sender.ready()) {
      return;
    }
    flushScheduled = true;
    context.runOnContext(v -> {
      flushScheduled = false;
      flush();
    });
  }

  private void flush() {
    if (batch == null || !sender.ready() || gone.future().isComplete()) {
      return;
    }
    Buffer ready = batch;
    batch = null;
    if (endedWell != null) {
      sender.last(StreamBatch.seal(ready, true, endedWell), true)
        .onSuccess(v -> delivered.tryComplete())
        .onFailure(this::lost);
      return;
    }
    sender.send(StreamBatch.seal(ready, false, false))
      .onSuccess(credit -> flush())
      .onFailure(this::lost);
    // the batch is on its way: producers may go on filling the next one
    Runnable waiting = whenReady;
    if (waiting != null) {
      whenReady = null;
      waiting.run();
    }
  }

  private void lost(Throwable failure) {
    batch = null;
    gone.tryFail(failure);
    if (delivered != null) {
      delivered.tryFail(failure);
    }
    Runnable waiting = whenReady;
    if (waiting != null) {
      // whoever waits for room must learn the stream is gone: let it go on, its writes are dropped
      whenReady = null;
      waiting.run();
    }
  }
}
