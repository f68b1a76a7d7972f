package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code aggregator: judge}: a judge model synthesizes the panel's answers, its text streamed into the answer as it
 * comes. A judge that fails before any of its text reached the client (for a non-streamed client: at any point) leaves
 * the panel's best answer as the answer, with {@code judge.fallback_to_panel} (default on); after that, the stream ends
 * with a {@code judge_stream_error} chunk.
 */
final class JudgeAggregation implements Aggregation {

  /** The quick ranker call behind a judge fallback gets at most this long: the client is already waiting. */
  static final long FALLBACK_RANKER_MS = 5_000;

  @Override
  public Future<RunResult> answer(FusionRequest request, PanelRound round) {
    AnswerSink answer = request.answer();
    answer.progress("progress", ProgressEvents.synthesis(request.recipe().judge().model(), round.answered().size(),
      round.failed()));
    JsonArray answers = new JsonArray();
    round.answered().forEach(o -> answers.add(new JsonObject().put("label", o.label()).put("content", o.answer().content())));
    long deadline = request.deadline(request.ctx().config().timeouts().judge().toMillis());
    SynthesisCommand synthesis = new SynthesisCommand(request.command().requestId(), request.recipe().judge(),
      request.messages(), request.judgeParams(), answers, request.recipe().emitAnalysis(), deadline,
      request.command().caller()).inRecipe(request.ctx().recipeName()).withTrace(request.trace());
    UsageReport usage = round.usage();
    return JudgeStep.run(request.ctx().context(), synthesis, answer).transform(done -> {
      SynthesisResult result = done.succeeded() ? done.result() : null;
      if (result != null) {
        usage.judge(result.usage());
      }
      if (result != null && result.error() == null) {
        return answer.complete(result.finishReason(), result.analysis(), usage.event(), usage.total(), new JsonObject());
      }
      String reason = result != null ? result.error().getString("message", "the judge's answer was cut short")
        : ApiError.from(done.cause(), "judge").getMessage();
      ApiError judgeError = ApiError.of(ErrorCode.JUDGE_STREAM_ERROR, "Judge failed: " + reason);
      if (!answer.answerStarted() && fallbackToPanel(request) && !request.cancel().isComplete()) {
        return fallback(request, round, judgeError);
      }
      return answer.fail(judgeError, usage.total());
    });
  }

  /**
   * The judge failed before its answer reached the client, but the panel's answers are good: answer with the best of
   * them and say so, rather than failing the whole request.
   */
  private static Future<RunResult> fallback(FusionRequest request, PanelRound round, ApiError judgeError) {
    AnswerSink answer = request.answer();
    request.span().fallback("judge_failed");
    answer.discardUnsent();
    answer.progress("progress", new JsonObject().put("stage", "judge_fallback")
      .put("message", "The judge failed; answering with the best panel answer").put("error", judgeError.getMessage()));
    round.usage().judgeError(judgeError.errorObject());
    return BestAnswer.pick(request, round, request.deadline(FALLBACK_RANKER_MS)).compose(pick -> {
      MemberOutcome best = round.answered().get(pick.index());
      JsonObject extras = new JsonObject().put("fallback", new JsonObject().put("reason", "judge_failed")
        .put("error", judgeError.errorObject()).put("answer_from", best.label()));
      return BestAnswer.write(request, best.answer().content(), round.usage(), extras);
    });
  }

  private static boolean fallbackToPanel(FusionRequest request) {
    return request.ctx().config().judge() == null || request.ctx().config().judge().fallbackToPanel();
  }
}
