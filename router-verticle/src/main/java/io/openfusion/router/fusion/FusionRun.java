package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.router.cache.ResponseCacheKey;
import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Conducts one fused request: a cached answer when the response cache has one, else progress, the panel fan-out (with
 * the quorum), debate rounds, and the recipe's {@link Aggregation}, which writes the answer and its ending.
 */
final class FusionRun {

  private final FusionRequest request;

  FusionRun(FusionRequest request) {
    this.request = request;
  }

  Future<RunResult> run() {
    FusionContext ctx = request.ctx();
    if (ctx.responseCache() == null) {
      return fresh();
    }
    String key = cacheKey(ctx.config());
    return ctx.responseCache().get(key).compose(hit -> {
      ctx.telemetry().responseCache(hit != null);
      request.span().cached(hit != null);
      if (hit != null) {
        return replay(hit);
      }
      return fresh().andThen(done -> {
        // only whole, judged answers are stored: never one cut by an error, a fallback, a cancel or a client that left
        AnswerSink answer = request.answer();
        if (done.succeeded() && !done.result().error() && !answer.fellBack() && !request.cancel().isComplete()) {
          ctx.responseCache().put(key, new JsonObject().put("content", answer.textSoFar())
            .put("usage", done.result().usage()).put("analysis", answer.analysis()));
        }
      });
    });
  }

  private String cacheKey(OpenFusionConfig config) {
    return ResponseCacheKey.of(request.recipe(), request.command().body(), request.command().caller(), new JsonObject()
      .put("debate_rounds", config.debate().rounds())
      .put("self_fusion", new JsonObject().put("n", config.selfFusion().n())
        .put("temperature_spread", new JsonArray(config.selfFusion().temperatureSpread()))
        .put("seed_offset", config.selfFusion().seedOffset()))
      .put("quorum", new JsonObject().put("min_answers", config.quorum().minAnswers())
        .put("straggler_ms", config.quorum().stragglerMs())));
  }

  /** A replayed answer cost nothing, whatever its usage says; its reports say it was cached. */
  private Future<RunResult> replay(JsonObject hit) {
    JsonObject usage = hit.getJsonObject("usage");
    request.answer().text(hit.getString("content", ""));
    return request.answer().complete(null, hit.getJsonObject("analysis"),
      new JsonObject().put("total", usage).put("cached", true), usage, new JsonObject().put("cached", true));
  }

  private Future<RunResult> fresh() {
    FusionContext ctx = request.ctx();
    AnswerSink answer = request.answer();
    var recipe = request.recipe();
    String judgeModel = recipe.judge() == null ? null : recipe.judge().model();
    answer.progress("progress", ProgressEvents.panel(recipe.memberModels(), judgeModel));
    long memberDeadline = request.deadline(ctx.config().timeouts().member().toMillis());
    boolean debating = recipe.strategy() == Strategy.DEBATE;
    int[] completed = {0};
    return ctx.gathered(ctx.fanOut().run(request.command().requestId(), request.command().caller(), request.trace(),
        "panel", recipe.members(), this::memberBody, memberDeadline, ctx.config().quorum(), outcome -> {
          completed[0]++;
          ctx.telemetry().panelMember(outcome.ok());
          traced(outcome);
          if (!debating && outcome.ok() && recipe.exposePanel()) {
            answer.progress("panel_answer", ProgressEvents.panelAnswer(outcome));
          }
          answer.progress("progress", ProgressEvents.member(outcome, completed[0], recipe.members().size()));
        }))
      .compose(outcomes -> debating ? debate(outcomes) : Future.succeededFuture(outcomes))
      .compose(outcomes -> {
        List<MemberOutcome> answered = outcomes.stream().filter(MemberOutcome::ok).toList();
        if (answered.isEmpty()) {
          return allFailed(outcomes);
        }
        if (request.cancel().isComplete()) {
          return Future.failedFuture(ApiError.of(ErrorCode.CLIENT_GONE, "The client went away"));
        }
        PanelRound round = new PanelRound(outcomes, answered, new UsageReport(outcomes, promptTokenEstimate()));
        return Aggregation.of(recipe.aggregator()).answer(request, round);
      });
  }

  /** The member's outcome on the run's span (a cut straggler is listed there: its own span only says cancelled). */
  private void traced(MemberOutcome outcome) {
    if (request.span().recording()) {
      request.span().member(outcome.label(), outcome.ok(), outcome.cut(),
        outcome.error() == null ? null : outcome.error().code());
    }
  }

  JsonObject memberBody(PlannedMember member) {
    return MemberBodies.build(request.ctx(), request.recipe(), request.command().body(), member);
  }

  private Future<List<MemberOutcome>> debate(List<MemberOutcome> outcomes) {
    FusionContext ctx = request.ctx();
    long deadline = request.deadline(ctx.config().timeouts().member().toMillis());
    return new Debate(ctx, request.answer())
      .run(request.command().requestId(), request.command().caller(), request.trace(), request.messages(), outcomes,
        ctx.config().debate().rounds(), this::memberBody, deadline, request.cancel())
      .onSuccess(revised -> {
        // the answers the aggregator will read are the revised ones, so those are the ones to show
        if (request.recipe().exposePanel()) {
          revised.stream().filter(MemberOutcome::ok)
            .forEach(o -> request.answer().progress("panel_answer", ProgressEvents.panelAnswer(o)));
        }
      });
  }

  private Future<RunResult> allFailed(List<MemberOutcome> outcomes) {
    String reasons = outcomes.stream().map(o -> o.label() + ": " + o.error().getMessage()).collect(Collectors.joining("; "));
    boolean noWorkers = outcomes.stream().allMatch(o -> ErrorCode.NO_WORKERS.wire().equals(o.error().code()));
    // no panel node at all is an outage of ours, not the members' fault: say so with a 503
    ApiError error = noWorkers ? outcomes.get(0).error()
      : ApiError.of(ErrorCode.PANEL_ERROR, "All panel members failed: " + reasons);
    return request.answer().fail(error, new UsageReport(outcomes, promptTokenEstimate()).total());
  }

  /** Rough prompt size (four characters a token) for members cut before they reported usage. */
  private int promptTokenEstimate() {
    long chars = 0;
    for (Object item : request.messages()) {
      if (item instanceof JsonObject message) {
        chars += Json.text(message.getValue("content")).length();
      }
    }
    return (int) Math.max(1, chars / 4);
  }
}
