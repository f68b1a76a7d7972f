package io.openfusion.router.fusion;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamReceiver;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisPart;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * One synthesis: asks a judge ({@link Addresses#JUDGE_SYNTHESIZE}) and writes its text into an answer sink as it
 * comes. The judge's next part is asked for only when the sink has room ({@link AnswerSink#whenReady}), so a slow
 * client holds the judge back instead of this node buffering for it. The same step serves a fusion's judge and a
 * pipeline's fuse steps (whose sink may only collect).
 */
final class JudgeStep {

  private final EventBus eventBus;
  private final SynthesisCommand command;
  private final AnswerSink into;
  /** The synthesis request's options: the request id, and the receiver the judge's parts go to. */
  private final DeliveryOptions options;
  private final StreamReceiver parts;
  private final Promise<SynthesisResult> ended = Promise.promise();

  private JudgeStep(Context context, SynthesisCommand command, AnswerSink into) {
    this.eventBus = context.owner().eventBus();
    // an answer used only whole needs no part per piece of text: one part, one bus round trip
    this.command = command.wantingWhole(!into.live());
    this.into = into;
    this.parts = new StreamReceiver(StreamPost.of(context), command.deadline());
    // the synthesis request carries the run's trace, which the judge's span joins; its parts need none
    this.options = parts.options(Deadlines.until(command.deadline(), command.requestId(), command.trace()));
  }

  /**
   * @param context the router instance's context, whose post the judge's parts come to
   * @return how the synthesis ended (its {@code error} set when the judge failed after some text); fails when the judge
   *     refused before any text (nothing of it reached {@code into}) or was lost midway
   */
  static Future<SynthesisResult> run(Context context, SynthesisCommand command, AnswerSink into) {
    JudgeStep step = new JudgeStep(context, command, into);
    step.parts.follow(step.eventBus.request(Addresses.JUDGE_SYNTHESIZE, step.command.toJson(), step.options),
      new StreamReceiver.Parts() {
        @Override
        public void part(Object body) {
          step.take(body);
        }

        @Override
        public void failed(Throwable failure) {
          step.ended.tryFail(failure);
        }
      });
    return step.ended.future();
  }

  private void take(Object body) {
    SynthesisPart part;
    try {
      part = SynthesisPart.fromJson((JsonObject) body);
    } catch (RuntimeException malformed) {
      parts.stop(ErrorCode.INTERNAL_ERROR.status(), "unreadable synthesis part");
      ended.tryFail(ApiError.of(ErrorCode.INTERNAL_ERROR, "The judge sent an unreadable part; every node must run the same build"));
      return;
    }
    into.text(part.text());
    if (part.last()) {
      parts.end();
      ended.tryComplete(part.result());
      return;
    }
    into.whenReady(() -> {
      if (into.clientGone()) {
        // nobody reads the answer any more: stop the judge rather than let it write for no one
        parts.stop(499, "the client went away");
        ended.tryFail(ApiError.of(ErrorCode.CLIENT_GONE, "The client went away"));
        return;
      }
      parts.more();
    });
  }
}
