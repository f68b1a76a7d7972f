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
  private final Runnable onEnd;
  private final TreeMap<Integer, Frame> pending = new TreeMap<>();
  private int expected;
  private boolean ended;
  private long heartbeat = -1;
  private long tailTimer = -1;

  StreamRelay(Vertx vertx, HttpServerResponse response, Runnable onEnd) {
    this.vertx = vertx;
    this.response = response;
    this.onEnd = onEnd;
  }

  void frame(int seq, Buffer data, boolean last, boolean success) {
    if (ended || seq < expected) {
      return;
    }
    pending.put(seq, new Frame(data, last, success));
    if (pending.size() > MAX_PENDING_FRAMES) {
      fail(ApiError.of(ErrorCode.INTERNAL_ERROR, "Stream frames were lost in transit; please retry"));
      return;
    }
    while (!ended && pending.containsKey(expected)) {
      Frame next = pending.remove(expected++);
      write(next.data());
      if (next.last()) {
        end(next.success());
      }
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
        response.setStatusCode(error.status()).putHeader("content-type", "application/json").end(error.toJson().encode());
      }
      onEnd.run();
      return;
    }
    write(SseFrames.data(Completions.errorChunk(error.errorObject()).encode()));
    write(SseFrames.done());
    end(false);
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

  private void write(Buffer data) {
    if (response.closed()) {
      return;
    }
    if (!response.headWritten()) {
      response.setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
      heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> {
        if (!response.closed()) {
          response.write(SseFrames.comment("keep-alive"));
        }
      });
    }
    response.write(data);
  }

  private void end(boolean success) {
    ended = true;
    cleanup();
    if (!response.closed()) {
      response.end();
    }
    onEnd.run();
  }

  private void cleanup() {
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    if (tailTimer >= 0) {
      vertx.cancelTimer(tailTimer);
    }
    pending.clear();
  }

  private record Frame(Buffer data, boolean last, boolean success) {
  }
}
