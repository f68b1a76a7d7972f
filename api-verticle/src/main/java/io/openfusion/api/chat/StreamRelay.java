package io.openfusion.api.chat;

import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.TreeMap;

/**
 * Writes one client's SSE stream from frames that may arrive out of order (they come from several
 * producers over different connections), holding early frames until the gap before them is filled.
 *
 * <p>The status line is only committed with the first frame, so a request that fails before producing
 * anything still gets a real HTTP error status. Every stream ends with {@code [DONE]}: after an error,
 * an error chunk comes first.
 */
final class StreamRelay {

  /** How long to wait for frames still in flight after the producer said it finished. */
  static final long TAIL_GRACE_MS = 5_000;
  /** Keeps proxies and load balancers from closing a quiet stream while the panel works. */
  static final long HEARTBEAT_MS = 15_000;
  /** A stream whose gap never fills would otherwise hold frames forever. */
  static final int MAX_PENDING_FRAMES = 10_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  /** Every byte written, and the body of an error before the first one, goes through it. */
  private final StreamTranslator wire;
  private final Runnable onEnd;
  /** Batches that arrived ahead of a gap, by their first frame's seq. */
  private final TreeMap<Integer, Batch> pending = new TreeMap<>();
  private int expected;
  private int held;
  private boolean ended;
  private long heartbeat = -1;
  private long tailTimer = -1;

  StreamRelay(Vertx vertx, HttpServerResponse response, StreamTranslator wire, Runnable onEnd) {
    this.vertx = vertx;
    this.response = response;
    this.wire = wire;
    this.onEnd = onEnd;
  }

  /**
   * Frames {@code seq .. seq + count - 1}, already framed in one buffer. In the usual case (they are the next ones
   * and nothing is held) they are written at once, as one write.
   */
  void frames(int seq, int count, Buffer data, boolean last) {
    if (ended || seq < expected) {
      return;
    }
    if (seq == expected && pending.isEmpty()) {
      deliver(count, data, last);
      return;
    }
    pending.put(seq, new Batch(count, data, last));
    held += count;
    if (held > MAX_PENDING_FRAMES) {
      fail(ApiError.of(ErrorCode.INTERNAL_ERROR, "Stream frames were lost in transit; please retry"));
      return;
    }
    Batch next;
    while (!ended && (next = pending.remove(expected)) != null) {
      held -= next.count();
      deliver(next.count(), next.data(), next.last());
    }
  }

  /** The producer finished after sending {@code frames} frames; the last of them may still be on its way. */
  void producerFinished(int frames) {
    if (ended) {
      return;
    }
    if (expected >= frames) {
      // every frame arrived but none was marked last: the producer forgot to end the stream
      fail(ApiError.of(ErrorCode.INTERNAL_ERROR, "The stream ended unexpectedly; please retry"));
      return;
    }
    tailTimer = vertx.setTimer(TAIL_GRACE_MS, t -> fail(ApiError.of(ErrorCode.INTERNAL_ERROR,
      "The end of the stream was lost in transit; the answer may be incomplete")));
  }

  /** The request failed: an HTTP error if nothing was sent yet, else an error chunk and {@code [DONE]}. */
  void fail(ApiError error) {
    if (ended) {
      return;
    }
    if (!response.headWritten()) {
      ended = true;
      cleanup();
      if (!response.closed()) {
        response.setStatusCode(error.status()).putHeader("content-type", "application/json").end(wire.errorBody(error).encode());
      }
      onEnd.run();
      return;
    }
    end(SseFrames.data(Completions.errorChunk(error.errorObject()).encode()).appendBuffer(SseFrames.done()));
  }

  boolean ended() {
    return ended;
  }

  boolean started() {
    return response.headWritten();
  }

  /** The client went away: stop writing; the caller cancels the work upstream. */
  void abandon() {
    ended = true;
    cleanup();
  }

  private void deliver(int count, Buffer data, boolean last) {
    expected += count;
    if (last) {
      end(data);
    } else {
      write(data);
    }
  }

  private void write(Buffer data) {
    if (response.closed()) {
      return;
    }
    if (!response.headWritten()) {
      commitHead();
      heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> {
        if (!response.closed()) {
          send(SseFrames.comment("keep-alive"));
        }
      });
    }
    send(data);
  }

  /** The one place bytes reach the client, in its API's stream format. */
  private void send(Buffer chat) {
    Buffer out = wire.translate(chat);
    if (out.length() > 0) {
      response.write(out);
    }
  }

  /** Writes the stream's last frames and ends the response in one write. */
  private void end(Buffer data) {
    ended = true;
    cleanup();
    if (!response.closed()) {
      if (!response.headWritten()) {
        commitHead();
      }
      response.end(wire.translate(data));
    }
    onEnd.run();
  }

  private void commitHead() {
    response.setStatusCode(200)
      .setChunked(true)
      .putHeader("content-type", "text/event-stream; charset=utf-8")
      .putHeader("cache-control", "no-cache")
      .putHeader("x-accel-buffering", "no");
  }

  private void cleanup() {
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    if (tailTimer >= 0) {
      vertx.cancelTimer(tailTimer);
    }
    pending.clear();
    held = 0;
  }

  private record Batch(int count, Buffer data, boolean last) {
  }
}
