package io.openfusion.shared.bus;

import io.vertx.core.Vertx;

/**
 * How long one side of a stream may wait for the other: a wait (for a credit, or for a part) that lasts longer than
 * the window ends the stream, as a missed reply would. One timer per stream side, armed when a wait begins and none
 * is armed, and moved on when it fires during a later wait, instead of a timer set and cancelled for every part.
 */
final class StreamWait {

  private final Vertx vertx;
  private final long windowMs;
  private final Runnable expired;
  private long since = -1;
  private long timer = -1;

  /**
   * @param deadline the stream's deadline (epoch ms): the window is the time left until it, plus
   *                 {@link Deadlines#REPLY_GRACE_MS}, as for any bus request of the stream
   */
  StreamWait(Vertx vertx, long deadline, Runnable expired) {
    this.vertx = vertx;
    this.windowMs = window(deadline);
    this.expired = expired;
  }

  static long window(long deadline) {
    return Math.max(1, Deadlines.remaining(deadline) + Deadlines.REPLY_GRACE_MS);
  }

  /** The other side owes an answer from now on. */
  void begin() {
    since = System.currentTimeMillis();
    if (timer < 0) {
      timer = vertx.setTimer(windowMs, this::check);
    }
  }

  /** The answer came. */
  void end() {
    since = -1;
  }

  /** The stream is over: no more waits. */
  void cancel() {
    since = -1;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void check(long fired) {
    timer = -1;
    if (since < 0) {
      return;
    }
    long left = since + windowMs - System.currentTimeMillis();
    if (left <= 0) {
      since = -1;
      expired.run();
    } else {
      timer = vertx.setTimer(left, this::check);
    }
  }
}
