package io.openfusion.shared.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Receives one stream of parts from the {@link StreamSender} that answers a request: the request names this side's
 * {@link StreamPost} and stream id ({@link #options}), the first part comes as the request's reply, the others to the
 * post. Each part is followed by exactly one of: {@link #more()} (a credit: send the next one), {@link #confirm()}
 * (the last part is delivered), {@link #end()} (the last part needs no answer) or {@link #stop} (this side stops
 * listening: the sender's pending part fails with that status). Not thread-safe: the context whose post this is uses
 * it.
 */
public final class StreamReceiver {

  /** What the receiver is told. */
  public interface Parts {

    /** A part of the stream, in order. */
    void part(Object body);

    /** The stream failed: refused before its first part, the sender lost, or no part within the window. */
    void failed(Throwable failure);
  }

  private final StreamPost post;
  private final long id;
  private final StreamWait wait;
  private Parts parts;
  /** The first part, until it is answered: its reply is the first credit. */
  private Message<?> first;
  private MessageProducer<Object> toSender;
  private long senderId;
  private boolean closed;
  private int stopStatus;
  private String stopMessage;

  /**
   * @param post     this context's post, where the parts after the first come
   * @param deadline the stream's deadline: how long the sender may take to send a part ({@link StreamWait})
   */
  public StreamReceiver(StreamPost post, long deadline) {
    this.post = post;
    this.id = post.open(new StreamPost.Endpoint() {
      @Override
      public void part(Object body) {
        wait.end();
        parts.part(body);
      }

      @Override
      public void stopped(int status, String message) {
        fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, message));
      }
    });
    this.wait = new StreamWait(post.vertx(), deadline, () -> fail(new ReplyException(ReplyFailure.TIMEOUT,
      "Timed out waiting for the stream's next part")));
  }

  /** @return {@code request} naming this receiver: the options of the request that opens the stream */
  public DeliveryOptions options(DeliveryOptions request) {
    return request.addHeader(BusHeaders.STREAM_POST, post.address()).addHeader(BusHeaders.STREAM_ID, Long.toString(id));
  }

  /**
   * Follows the stream from the request's reply on.
   *
   * @param firstReply the reply to the request sent with {@link #options}
   */
  public void follow(Future<? extends Message<?>> firstReply, Parts parts) {
    this.parts = parts;
    firstReply.onComplete(reply -> {
      if (reply.failed()) {
        if (!closed) {
          close();
          parts.failed(reply.cause());
        }
        return;
      }
      Message<?> message = reply.result();
      if (closed) {
        // this side stopped before the stream began: the sender learns it from the answer to its first part
        message.fail(stopStatus, stopMessage);
        return;
      }
      first = message;
      String senderPost = message.headers().get(BusHeaders.STREAM_POST);
      String sender = message.headers().get(BusHeaders.STREAM_ID);
      if (senderPost != null && sender != null) {
        toSender = post.vertx().eventBus().sender(senderPost);
        senderId = Long.parseLong(sender);
      }
      parts.part(message.body());
    });
  }

  /** Asks for the next part. */
  public void more() {
    if (closed) {
      return;
    }
    credit();
    wait.begin();
  }

  /** Answers the last part: the sender learns it was delivered. */
  public void confirm() {
    if (!closed) {
      credit();
      close();
    }
  }

  /** The last part came and needs no answer. */
  public void end() {
    first = null;
    close();
  }

  /** Stops listening: the sender's part in flight, or its next one, fails with {@code status}. */
  public void stop(int status, String message) {
    if (closed) {
      return;
    }
    stopStatus = status;
    stopMessage = message;
    Message<?> unanswered = first;
    first = null;
    if (unanswered != null) {
      unanswered.fail(status, message);
    } else if (toSender != null) {
      toSender.write(StreamPost.stop(senderId, status, message));
    }
    close();
  }

  /** @return whether the stream is over for this side */
  public boolean closed() {
    return closed;
  }

  private void credit() {
    Message<?> unanswered = first;
    if (unanswered != null) {
      first = null;
      unanswered.reply(null);
    } else if (toSender != null) {
      toSender.write(senderId).onFailure(lost -> fail(lost));
    } else {
      fail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500,
        "The stream's sender named no post for its credits; every node must run the same build"));
    }
  }

  private void fail(Throwable failure) {
    if (!closed) {
      close();
      parts.failed(failure);
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      stopStatus = stopStatus == 0 ? 499 : stopStatus;
      stopMessage = stopMessage == null ? "the stream ended" : stopMessage;
      wait.cancel();
      post.close(id);
    }
  }
}
