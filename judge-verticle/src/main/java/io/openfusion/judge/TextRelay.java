package io.openfusion.judge;

import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.bus.SynthesisPart;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.upstream.Pace;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Sends the judge's answer text to the router as it comes ({@link StreamSender}): what arrives while a part is on its
 * way waits and goes with the next part. When the router holds back (its client reads slowly) and the waiting
 * text passes {@link #MAX_WAITING_CHARS}, the judge's upstream pauses ({@link Pace}), so a slow client never makes the
 * judge hold a whole answer in memory. When the router wants the answer only whole ({@link #whole(StreamSender)}),
 * all of the text goes with the last part: the router could do nothing with the pieces but collect them.
 */
final class TextRelay implements Pace {

  /** Text kept waiting for the router before the judge's upstream is paused. */
  static final int MAX_WAITING_CHARS = 16 * 1024;

  private final StreamSender sender;
  private final boolean whole;
  private final Promise<Void> routerGone = Promise.promise();
  private final StringBuilder waiting = new StringBuilder();
  private Runnable whenReady;
  private SynthesisResult ending;
  private Promise<Void> ended;

  TextRelay(StreamSender sender) {
    this(sender, false);
  }

  private TextRelay(StreamSender sender, boolean whole) {
    this.sender = sender;
    this.whole = whole;
    // the router may stop the stream while the judge holds a credit (its client left): stop the upstream at once
    sender.gone().onFailure(this::routerLost);
  }

  /** A relay that keeps the text until the answer ends, then sends it in the last part. */
  static TextRelay whole(StreamSender sender) {
    return new TextRelay(sender, true);
  }

  /** Fails when the router stopped listening (its client left, its node died, the deadline passed). */
  Future<Void> routerGone() {
    return routerGone.future();
  }

  /** @return whether text was sent: from then on the synthesis ends with a last part, never with a refusal */
  boolean started() {
    return sender.started();
  }

  void text(String text) {
    if (text.isEmpty() || ended != null) {
      return;
    }
    waiting.append(text);
    flush();
  }

  /** Ends the answer: the text still waiting, then how it ended, as the sender's last part. */
  Future<Void> finish(SynthesisResult result) {
    if (ended == null) {
      ended = Promise.promise();
      ending = result;
      if (routerGone.future().failed()) {
        ended.fail(routerGone.future().cause());
        return ended.future();
      }
      flush();
    }
    return ended.future();
  }

  /** Fails the synthesis request itself: only before any text was sent. */
  void refuse(ApiError error) {
    sender.refuse(error);
  }

  @Override
  public boolean full() {
    // a whole answer waits for nobody: it is bounded by the judge's token ceiling, as the router's copy would be
    return !whole && waiting.length() >= MAX_WAITING_CHARS && !sender.ready();
  }

  @Override
  public void whenReady(Runnable ready) {
    if (!full()) {
      ready.run();
    } else {
      whenReady = ready;
    }
  }

  private void flush() {
    if (!sender.ready() || routerGone.future().isComplete() || (whole && ending == null)) {
      return;
    }
    String text = waiting.toString();
    waiting.setLength(0);
    if (ending != null) {
      sender.last(new SynthesisPart(text, ending).toJson(), false).onComplete(ended);
      return;
    }
    if (text.isEmpty()) {
      return;
    }
    sender.send(new SynthesisPart(text, null).toJson())
      .onSuccess(more -> {
        flush();
        Runnable ready = whenReady;
        if (ready != null && !full()) {
          whenReady = null;
          ready.run();
        }
      })
      .onFailure(this::routerLost);
  }

  private void routerLost(Throwable failure) {
    routerGone.tryFail(failure);
    if (ended != null) {
      ended.tryFail(failure);
    }
  }
}
