package io.openfusion.shared.bus;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Sends one stream of parts back to whoever asked for it, as replies along one request/reply chain: each part is the
 * reply to the last message the receiver sent (first the request itself), and the receiver's answer to that part is
 * the credit for the next one. So at most one part is on the bus at a time, a slow receiver slows its sender down, and
 * no consumer is registered per stream (a cluster-wide write per registration).
 *
 * <p>The sender batches what it produces while it waits for credit; {@link #ready()} says whether it may send now.
 * A chain ends with {@link #last} (a plain reply, or a part whose answer confirms its delivery) or, before its first
 * part, with {@link #refuse}. Not thread-safe: one context uses a chain.
 */
public final class ReplyChain {

  private final DeliveryOptions options;
  /** The message to reply to next; null while a part is in flight (no credit). */
  private Message<?> credit;
  private boolean started;
  private boolean ended;

  /**
   * @param request the request that opened the stream
   * @param options how long the receiver may take to answer each part (its deadline, not a per-part timeout: a
   *                receiver may hold the credit while its own consumer, say a slow client, catches up)
   */
  public ReplyChain(Message<?> request, DeliveryOptions options) {
    this.credit = request;
    this.options = options;
  }

  /** @return whether a part may be sent now (the receiver answered the last one) */
  public boolean ready() {
    return credit != null && !ended;
  }

  /** @return whether a part was sent (the request itself can no longer be refused) */
  public boolean started() {
    return started;
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Sends {@code part}; only when {@link #ready()}.
   *
   * @return completes when the receiver asks for more (the credit is back); fails when it stops listening (its
   *     client left, its node died, the deadline passed)
   */
  public Future<Void> send(Object part) {
    Message<?> target = take();
    return target.replyAndRequest(part, options).map(answer -> {
      credit = answer;
      return null;
    });
  }

  /**
   * Sends the stream's last part; only when {@link #ready()}.
   *
   * @param confirmed whether to wait for the receiver's answer, which then says it delivered the part (a stream to a
   *                  client is a success only once the client has its last byte)
   * @return completes when the part was sent ({@code confirmed} false) or answered
   */
  public Future<Void> last(Object part, boolean confirmed) {
    Message<?> target = take();
    ended = true;
    if (!confirmed) {
      target.reply(part, options);
      return Future.succeededFuture();
    }
    return target.replyAndRequest(part, options).mapEmpty();
  }

  /** Fails the request that opened the stream; only before the first part. */
  public void refuse(ApiError error) {
    if (started || ended) {
      throw new IllegalStateException("a stream that started cannot be refused");
    }
    ended = true;
    error.failReply(credit);
    credit = null;
  }

  private Message<?> take() {
    if (!ready()) {
      throw new IllegalStateException("no credit: wait until the receiver answered the last part");
    }
    Message<?> target = credit;
    credit = null;
    started = true;
    return target;
  }
}
