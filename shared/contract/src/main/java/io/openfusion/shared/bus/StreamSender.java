package io.openfusion.shared.bus;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Sends one stream of parts back to whoever asked for it ({@link StreamReceiver}), one part at a time: the first as
 * the reply to the request that opened the stream, the others to the receiver's {@link StreamPost}; each goes only once
 * the receiver granted a credit for it, so a slow receiver slows its sender down and at most one part is on the bus
 * per stream. Credits, and the receiver's stop, come to this context's post.
 *
 * <p>The sender batches what it produces while it waits for credit; {@link #ready()} says whether it may send now.
 * A stream ends with {@link #last} (unconfirmed, or confirmed by the receiver's last credit) or, before its first
 * part, with {@link #refuse}. A part is a {@link Buffer} that keeps its first 8 bytes for the receiver's stream id
 * ({@link StreamBatch}) or a {@link JsonObject} ({@link SynthesisPart}); the id is written into it here. Not
 * thread-safe: the context whose post this is uses it.
 */
public final class StreamSender {

  private final StreamPost post;
  private final Message<?> request;
  private final DeliveryOptions options;
  /** This sender's id at its post, where credits name it; taken with the first part (an unused sender holds none). */
  private long id = -1;
  private final long receiverId;
  private final MessageProducer<Object> toReceiver;
  private final StreamWait wait;
  private boolean started;
  private boolean ended;
  private boolean closed;
  /** The part on its way, completed by the receiver's credit; null when the sender may send. */
  private Promise<Void> inFlight;
  private ReplyException stopped;
  private final Promise<Void> gone = Promise.promise();

  private StreamSender(StreamPost post, Message<?> request, DeliveryOptions options, long deadline) {
    this.post = post;
    this.request = request;
    this.options = options;
    this.receiverId = Long.parseLong(request.headers().get(BusHeaders.STREAM_ID));
    this.toReceiver = post.vertx().eventBus().sender(request.headers().get(BusHeaders.STREAM_POST), options);
    this.wait = new StreamWait(post.vertx(), deadline, () -> stopped(new ReplyException(ReplyFailure.TIMEOUT,
      "Timed out waiting for the stream's receiver")));
  }

  /**
   * @param post     this context's post, where the receiver's credits come
   * @param request  the request that opened the stream; it names the receiver ({@link StreamReceiver#options})
   * @param options  how parts travel (their codec; the send timeout bounds the wait for the first part's credit)
   * @param deadline the stream's deadline: how long the receiver may hold a credit ({@link StreamWait})
   * @throws IllegalArgumentException when the request names no receiver (a sender of another build)
   */
  public static StreamSender answering(StreamPost post, Message<?> request, DeliveryOptions options, long deadline) {
    if (!opensStream(request)) {
      throw new IllegalArgumentException("the request names no stream receiver; every node must run the same build");
    }
    return new StreamSender(post, request, options, deadline);
  }

  /** @return whether {@code request} names a receiver for a stream */
  public static boolean opensStream(Message<?> request) {
    return request.headers().get(BusHeaders.STREAM_POST) != null && request.headers().get(BusHeaders.STREAM_ID) != null;
  }

  /** @return whether a part may be sent now (the receiver granted a credit for it, and still listens) */
  public boolean ready() {
    return inFlight == null && !ended && stopped == null;
  }

  /** @return whether a part was sent (the request itself can no longer be refused) */
  public boolean started() {
    return started;
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Fails as soon as the receiver stops listening (it sent a stop, its node is unreachable, or it kept the credit past
   * the window), whether or not a part is in flight: a sender holding a credit learns it without sending again.
   */
  public Future<Void> gone() {
    return gone.future();
  }

  /**
   * Sends {@code part}; only when {@link #ready()}.
   *
   * @return completes when the receiver asks for more; fails when it stopped listening (its client left, its node
   *     died, the deadline passed)
   */
  public Future<Void> send(Object part) {
    return deliver(part, true);
  }

  /**
   * Sends the stream's last part; only when {@link #ready()}.
   *
   * @param confirmed whether to wait for the receiver's answer, which then says it delivered the part (a stream to a
   *                  client is a success only once the client has its last byte)
   * @return completes when the part was sent ({@code confirmed} false) or answered
   */
  public Future<Void> last(Object part, boolean confirmed) {
    ended = true;
    return deliver(part, confirmed);
  }

  /** Fails the request that opened the stream; only before the first part. */
  public void refuse(ApiError error) {
    if (started || ended) {
      throw new IllegalStateException("a stream that started cannot be refused");
    }
    ended = true;
    error.failReply(request);
    close();
  }

  private Future<Void> deliver(Object part, boolean awaitCredit) {
    if (inFlight != null) {
      throw new IllegalStateException("no credit: wait until the receiver answered the last part");
    }
    if (stopped != null) {
      close();
      return Future.failedFuture(stopped);
    }
    stamp(part);
    Promise<Void> credit = Promise.promise();
    if (!started) {
      started = true;
      id = post.open(new StreamPost.Endpoint() {
        @Override
        public void credit() {
          credited();
        }

        @Override
        public void stopped(int status, String message) {
          StreamSender.this.stopped(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, message));
        }
      });
      DeliveryOptions first = new DeliveryOptions(options)
        .addHeader(BusHeaders.STREAM_POST, post.address())
        .addHeader(BusHeaders.STREAM_ID, Long.toString(id));
      if (awaitCredit) {
        // the one reply handler of the stream: the receiver's plain answer is the first credit
        request.replyAndRequest(part, first).onComplete(answer -> {
          if (answer.succeeded()) {
            credited();
          } else {
            stopped(answer.cause() instanceof ReplyException refused ? refused
              : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, answer.cause().getMessage()));
          }
        });
      } else {
        request.reply(part, first);
      }
    } else {
      toReceiver.write(part).onFailure(lost -> stopped(lost instanceof ReplyException gone ? gone
        : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, lost.getMessage())));
      if (awaitCredit) {
        wait.begin();
      }
    }
    if (!awaitCredit) {
      close();
      return Future.succeededFuture();
    }
    inFlight = credit;
    return credit.future();
  }

  private void stamp(Object part) {
    if (part instanceof Buffer buffer) {
      buffer.setLong(0, receiverId);
    } else if (part instanceof JsonObject json) {
      json.put(StreamPost.STREAM, receiverId);
    } else {
      throw new IllegalArgumentException("a stream part is a Buffer or a JsonObject, not " + part);
    }
  }

  private void credited() {
    Promise<Void> answered = inFlight;
    if (answered == null) {
      return;
    }
    inFlight = null;
    wait.end();
    if (ended) {
      close();
    }
    answered.complete();
  }

  private void stopped(ReplyException reason) {
    if (stopped == null) {
      stopped = reason;
    }
    gone.tryFail(reason);
    Promise<Void> waiting = inFlight;
    inFlight = null;
    close();
    if (waiting != null) {
      waiting.fail(reason);
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      wait.cancel();
      if (id >= 0) {
        post.close(id);
      }
    }
  }
}
