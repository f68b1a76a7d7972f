package io.openfusion.api.chat;

import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamReceiver;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes one client's stream from the router's answer: the parts ({@link StreamBatch}) come in order
 * ({@link StreamReceiver}), and the next is asked for only once the part's bytes are on the client's socket (its write
 * completed). So a slow client holds the router back, and the router holds the upstream back, instead of anything
 * piling up here. The last part is confirmed once the client has it: only then does the router count the request as a
 * success.
 *
 * <p>The status line is only committed with the first part, so a request that fails before producing anything still
 * gets a real HTTP error status. Every stream ends with {@code [DONE]}: after an error, an error chunk comes first.
 * Every byte goes through the client API's {@link StreamTranslator}.
 */
final class StreamRelay {

  /** Keeps proxies and load balancers from closing a quiet stream while the panel works. */
  static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final StreamTranslator wire;
  private final StreamReceiver parts;
  private final Runnable onEnd;
  /** A part's bytes are on their way to the socket: the router waits for the credit. */
  private boolean holding;
  private boolean ended;
  private long heartbeat = -1;

  /** @param post the post of the context serving the response, where the router's parts come */
  StreamRelay(Vertx vertx, StreamPost post, HttpServerResponse response, StreamTranslator wire, long deadline,
              Runnable onEnd) {
    this.vertx = vertx;
    this.response = response;
    this.wire = wire;
    this.parts = new StreamReceiver(post, deadline);
    this.onEnd = onEnd;
  }

  /** @return the {@code router.chat} request's options naming this relay as the stream's receiver */
  DeliveryOptions options(DeliveryOptions request) {
    return parts.options(request);
  }

  /** Follows the router's answer from its first reply on; a failed request ends the stream with its error. */
  void follow(Future<Message<Object>> firstReply) {
    parts.follow(firstReply, new StreamReceiver.Parts() {
      @Override
      public void part(Object body) {
        take(body);
      }

      @Override
      public void failed(Throwable failure) {
        fail(ApiError.from(failure, "router"));
      }
    });
  }

  /** The request failed: an HTTP error if nothing was sent yet, else an error chunk and {@code [DONE]}. */
  void fail(ApiError error) {
    if (ended) {
      return;
    }
    // the router, when it still produces, learns there is no one to go on for (it may wait for a credit, or be about
    // to send its first part)
    parts.stop(ErrorCode.CLIENT_GONE.status(), "the stream ended");
    if (!response.headWritten()) {
      ended = true;
      cleanup();
      if (!response.closed()) {
        if (error.retryAfterSeconds() > 0) {
          // a refusal before the first byte is a plain HTTP error, so it may say when to come back
          response.putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
        }
        response.setStatusCode(error.status()).putHeader("content-type", "application/json")
          .end(wire.errorBody(error).encode());
      }
      onEnd.run();
      return;
    }
    end(SseFrames.data(Completions.errorChunk(error.errorObject()).encode()).appendBuffer(SseFrames.done()));
  }

  boolean ended() {
    return ended;
  }

  /** The client went away: stop writing, and tell the router, which stops producing. */
  void abandon() {
    ended = true;
    parts.stop(ErrorCode.CLIENT_GONE.status(), "the client went away");
    cleanup();
  }

  /** A part: none comes once the relay ended, since every ending stops or confirms the stream. */
  private void take(Object body) {
    StreamBatch batch = StreamBatch.decode(body);
    if (batch == null) {
      parts.stop(ErrorCode.INTERNAL_ERROR.status(), "not a stream part");
      fail(ApiError.of(ErrorCode.INTERNAL_ERROR, "The router sent an unreadable stream part; every node must run the same build"));
      return;
    }
    if (batch.last()) {
      // the router counts the request a success only once the client has this
      end(batch.frames())
        .onSuccess(delivered -> parts.confirm())
        .onFailure(lost -> parts.stop(ErrorCode.CLIENT_GONE.status(), "the client went away before the end"));
      return;
    }
    // the next part is asked for once these bytes are on the client's socket, not when the write queue looks short:
    // Vert.x counts queued writes, not bytes, so a slow client's queue held many parts (megabytes per stream) before it
    // was "full"
    holding = true;
    write(batch.frames()).onComplete(written -> release());
  }

  /** The part's bytes reached the socket (or the client is gone): the router may send the next one. */
  private void release() {
    if (!holding) {
      // the stream ended meanwhile, and the router was told
      return;
    }
    holding = false;
    if (!ended) {
      parts.more();
    }
  }

  /** @return completes when the frames are on the client's socket (at once when there is nothing to write) */
  private Future<Void> write(Buffer frames) {
    if (response.closed()) {
      return Future.succeededFuture();
    }
    if (!response.headWritten()) {
      commitHead();
      heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> {
        if (!response.closed() && !response.writeQueueFull()) {
          send(SseFrames.comment("keep-alive"));
        }
      });
    }
    return send(frames);
  }

  /** The one place bytes reach the client, in its API's stream format. */
  private Future<Void> send(Buffer chat) {
    Buffer out = wire.translate(chat);
    return out.length() > 0 ? response.write(out) : Future.succeededFuture();
  }

  /** Writes the stream's last frames and ends the response; completes when they are written. */
  private Future<Void> end(Buffer frames) {
    ended = true;
    cleanup();
    Future<Void> written;
    if (response.closed()) {
      written = Future.failedFuture("the client went away");
    } else {
      if (!response.headWritten()) {
        commitHead();
      }
      written = response.end(wire.translate(frames));
    }
    onEnd.run();
    return written;
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
      heartbeat = -1;
    }
    holding = false;
  }
}
