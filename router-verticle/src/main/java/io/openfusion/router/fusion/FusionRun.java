package io.openfusion.router.fusion;

import io.openfusion.router.cache.ResponseCacheKey;
import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.TokenCeilings;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Conducts one fused request: progress, the panel fan-out (with the quorum), debate rounds, then the
 * aggregator (judge synthesis, majority vote or a ranker's pick), then the stream's tail (one terminal
 * chunk, analysis, usage, {@code [DONE]}). Streamed requests write their frames straight to the
 * client's api instance; non-streamed ones reply with the whole completion.
 */
final class FusionRun {

  private final FusionContext ctx;
  private final ChatCommand command;
  private final Recipe recipe;
  private final JsonObject judgeParams;
  private final FusionStream stream;
  private final Future<Void> cancel;
  private int completed;
  /** The quick ranker call behind a judge fallback gets at most this long: the client is already waiting. */
  private static final long FALLBACK_RANKER_MS = 5_000;
  /** The finished answer, kept for the response cache; null until the run ended cleanly. */
  private JsonObject answer;

  FusionRun(FusionContext ctx, ChatCommand command, Recipe recipe, JsonObject judgeParams, Future<Void> cancel) {
    this.ctx = ctx;
    this.command = command;
    this.recipe = recipe;
    this.judgeParams = judgeParams;
    this.cancel = cancel;
    this.stream = new FusionStream(ctx.eventBus(), command, ctx.config().fusionModelName());
  }

  Future<JsonObject> run() {
    if (ctx.responseCache() == null) {
      return fresh();
    }
    String key = ResponseCacheKey.of(recipe, command.body(), command.caller(), new JsonObject()
      .put("debate_rounds", ctx.config().debate().rounds())
      .put("self_fusion", new JsonObject().put("n", ctx.config().selfFusion().n())
        .put("temperature_spread", new JsonArray(ctx.config().selfFusion().temperatureSpread()))
        .put("seed_offset", ctx.config().selfFusion().seedOffset()))
      .put("quorum", new JsonObject().put("min_answers", ctx.config().quorum().minAnswers())
        .put("straggler_ms", ctx.config().quorum().stragglerMs())));
    return ctx.responseCache().get(key).compose(hit -> {
      ctx.telemetry().responseCache(hit != null);
      if (hit != null) {
        return Future.succeededFuture(replay(hit));
      }
      return fresh().andThen(done -> {
        // only whole answers are stored: never one cut by an error, a cancel or a client that left
        if (done.succeeded() && answer != null && !cancel.isComplete()) {
          ctx.responseCache().put(key, answer);
        }
      });
    });
  }

  private JsonObject replay(JsonObject hit) {
    String content = hit.getString("content", "");
    JsonObject usage = hit.getJsonObject("usage");
    JsonObject analysis = hit.getJsonObject("analysis");
    if (!stream.streaming()) {
      JsonObject body = Completions.completion(stream.id(), stream.created(), stream.model(), content, "stop", usage)
        .put("cached", true);
      if (analysis != null) {
        body.put("analysis", analysis);
      }
      return new JsonObject().put("body", body);
    }
    stream.content(content);
    stream.finish("stop");
    if (analysis != null) {
      stream.event("analysis", analysis);
    }
    stream.usage(new JsonObject().put("total", usage).put("cached", true), usage);
    // the reply says so too: a replayed answer cost nothing, whatever its usage says
    return stream.done().put("cached", true);
  }

  private Future<JsonObject> fresh() {
    String judgeModel = recipe.judge() == null ? null : recipe.judge().model();
    stream.event("progress", ProgressEvents.panel(recipe.memberModels(), judgeModel));
    long memberDeadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().member().toMillis());
    boolean debating = recipe.strategy() == Strategy.DEBATE;
    return ctx.fanOut().run(command.requestId(), command.caller(), "panel", recipe.members(), this::memberBody, memberDeadline,
        ctx.config().quorum(), outcome -> onMember(outcome, !debating))
      .compose(outcomes -> debating ? debate(outcomes) : Future.succeededFuture(outcomes))
      .compose(outcomes -> {
        List<MemberOutcome> answered = outcomes.stream().filter(MemberOutcome::ok).toList();
        if (answered.isEmpty()) {
          return allFailed(outcomes);
        }
        if (cancel.isComplete()) {
          return Future.failedFuture(ApiError.of(ErrorCode.INVALID_BODY, "The client went away"));
        }
        UsageReport usage = new UsageReport(outcomes, promptTokenEstimate());
        return switch (recipe.aggregator()) {
          case VOTE -> vote(outcomes, answered, usage);
          case RANKED -> ranked(outcomes, answered, usage);
          case JUDGE -> judge(outcomes, answered, usage);
        };
      });
  }

  JsonObject memberBody(PlannedMember member) {
    return MemberBodies.build(ctx, recipe, command.body(), member);
  }


  private void onMember(MemberOutcome outcome, boolean showAnswer) {
    completed++;
    ctx.telemetry().panelMember(outcome.ok());
    if (showAnswer && outcome.ok() && recipe.exposePanel()) {
      stream.event("panel_answer", ProgressEvents.panelAnswer(outcome));
    }
    stream.event("progress", ProgressEvents.member(outcome, completed, recipe.members().size()));
  }

  private Future<List<MemberOutcome>> debate(List<MemberOutcome> outcomes) {
    long deadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().member().toMillis());
    return new Debate(ctx.fanOut(), stream)
      .run(command.requestId(), command.caller(), messages(), outcomes, ctx.config().debate().rounds(), this::memberBody, deadline, cancel)
      .onSuccess(revised -> {
        // the answers the aggregator will read are the revised ones, so those are the ones to show
        if (recipe.exposePanel()) {
          revised.stream().filter(MemberOutcome::ok).forEach(o -> stream.event("panel_answer", ProgressEvents.panelAnswer(o)));
        }
      });
  }

  private Future<JsonObject> allFailed(List<MemberOutcome> outcomes) {
    String reasons = outcomes.stream().map(o -> o.label() + ": " + o.error().getMessage()).collect(Collectors.joining("; "));
    boolean noWorkers = outcomes.stream().allMatch(o -> ErrorCode.NO_WORKERS.wire().equals(o.error().code()));
    // no panel node at all is an outage of ours, not the members' fault: say so with a 503
    ApiError error = noWorkers ? outcomes.get(0).error()
      : ApiError.of(ErrorCode.PANEL_ERROR, "All panel members failed: " + reasons);
    return stream.streaming() ? Future.succeededFuture(stream.fail(error)) : Future.failedFuture(error);
  }

  private Future<JsonObject> vote(List<MemberOutcome> outcomes, List<MemberOutcome> arrived, UsageReport usage) {
    // ties go to the earliest member in panel order, whatever order the answers arrived in
    List<MemberOutcome> answered = arrived.stream()
      .sorted(java.util.Comparator.comparingInt(o -> panelIndex(o.member()))).toList();
    Vote.Result result = Vote.pick(answered.stream().map(o -> o.answer().content()).toList());
    stream.event("progress", new JsonObject().put("stage", "vote").put("message", "Majority vote over panel answers")
      .put("panel_count", answered.size()).put("failed_count", outcomes.size() - answered.size())
      .put("agreement", result.agreement()).put("winner", answered.get(result.winner()).label()));
    return Future.succeededFuture(single(answered.get(result.winner()).answer().content(), usage));
  }

  private Future<JsonObject> ranked(List<MemberOutcome> outcomes, List<MemberOutcome> answered, UsageReport usage) {
    long deadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().judge().toMillis());
    return pickBest(answered, usage, deadline).map(pick -> {
      rankedEvent(outcomes, answered, pick.index(), pick.fallback());
      return single(answered.get(pick.index()).answer().content(), usage);
    });
  }

  /** Which answer is best: the ranker's pick, or the first member in panel order when it cannot say. */
  private record Pick(int index, String fallback) {
  }

  private Future<Pick> pickBest(List<MemberOutcome> answered, UsageReport usage, long deadline) {
    if (answered.size() == 1) {
      return Future.succeededFuture(new Pick(0, null));
    }
    List<String> candidates = answered.stream().map(o -> o.answer().content()).toList();
    MemberCall call = new MemberCall(command.requestId(), "ranker", new UpstreamRef(recipe.judge().source(), recipe.judge().index(),
      recipe.judge().model(), "ranker"), RankerPrompt.body(messages(), candidates), deadline, command.caller());
    return ctx.members().send(call)
      .transform(done -> {
        if (done.failed()) {
          return Future.succeededFuture(new Pick(firstInPanelOrder(answered),
            "the ranker failed: " + ApiError.from(done.cause(), "panel").getMessage()));
        }
        usage.ranker(done.result().usage());
        int winner = RankerPrompt.parse(done.result().content(), candidates.size());
        return Future.succeededFuture(winner >= 0 ? new Pick(winner, null)
          : new Pick(firstInPanelOrder(answered), "the ranker's reply named no candidate"));
      });
  }

  /**
   * The judge failed before writing anything, but the panel's answers are good: answer with the best of
   * them (the ranker's pick, else the first) and say so, rather than failing the whole request.
   */
  private Future<JsonObject> judgeFallback(List<MemberOutcome> answered, UsageReport usage, ApiError judgeError) {
    stream.event("progress", new JsonObject().put("stage", "judge_fallback")
      .put("message", "The judge failed; answering with the best panel answer").put("error", judgeError.getMessage()));
    usage.judgeError(judgeError.errorObject());
    long deadline = Math.min(command.deadline(), System.currentTimeMillis() + FALLBACK_RANKER_MS);
    return pickBest(answered, usage, deadline).map(pick -> {
      JsonObject result = single(answered.get(pick.index()).answer().content(), usage);
      if (!stream.streaming()) {
        result.getJsonObject("body").put("fallback", new JsonObject().put("reason", "judge_failed")
          .put("error", judgeError.errorObject()).put("answer_from", answered.get(pick.index()).label()));
      }
      return result;
    });
  }

  private int firstInPanelOrder(List<MemberOutcome> answered) {
    int best = 0;
    for (int i = 1; i < answered.size(); i++) {
      if (panelIndex(answered.get(i).member()) < panelIndex(answered.get(best).member())) {
        best = i;
      }
    }
    return best;
  }

  /** Position in the recipe by identity: two members may be equal records (the same model listed twice). */
  private int panelIndex(PlannedMember member) {
    for (int i = 0; i < recipe.members().size(); i++) {
      if (recipe.members().get(i) == member) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  private void rankedEvent(List<MemberOutcome> outcomes, List<MemberOutcome> answered, int winner, String fallback) {
    JsonObject event = new JsonObject().put("stage", "ranked").put("message", "Selecting the best panel answer")
      .put("panel_count", answered.size()).put("failed_count", outcomes.size() - answered.size())
      .put("winner", winner).put("winner_label", answered.get(winner).label());
    if (fallback != null) {
      event.put("fallback", fallback);
    }
    stream.event("progress", event);
  }

  /** A whole answer picked from the panel: one content chunk, the terminal chunk, usage, done. */
  private JsonObject single(String content, UsageReport usage) {
    answer = new JsonObject().put("content", content).put("usage", usage.total());
    if (!stream.streaming()) {
      return new JsonObject().put("body", Completions.completion(stream.id(), stream.created(), stream.model(), content,
        "stop", usage.total()));
    }
    stream.content(content);
    stream.finish("stop");
    if (usage.total() != null) {
      stream.usage(usage.event(), usage.total());
    }
    return spent(stream.done(), usage);
  }

  /** A streamed reply carries the run's usage, so the router can settle the request's token reservation. */
  private static JsonObject spent(JsonObject reply, UsageReport usage) {
    JsonObject total = usage.total();
    return total == null ? reply : reply.put("usage", total);
  }

  private Future<JsonObject> judge(List<MemberOutcome> outcomes, List<MemberOutcome> answered, UsageReport usage) {
    stream.event("progress", ProgressEvents.synthesis(recipe.judge().model(), answered.size(), outcomes.size() - answered.size()));
    JsonArray answers = new JsonArray();
    answered.forEach(o -> answers.add(new JsonObject().put("label", o.label()).put("content", o.answer().content())));
    long deadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().judge().toMillis());
    SynthesisCommand synthesis = new SynthesisCommand(command.requestId(), stream.streaming(), command.streamTo(),
      stream.nextSeq(), recipe.judge(), messages(), judgeParams, answers, recipe.emitAnalysis(), stream.chunkMeta(), deadline, command.caller());
    return ctx.eventBus().<JsonObject>request(Addresses.JUDGE_SYNTHESIZE, synthesis.toJson(), Deadlines.until(deadline, command.requestId()))
      .map(reply -> SynthesisResult.fromJson(reply.body()))
      .transform(done -> {
        SynthesisResult result = done.succeeded() ? done.result() : null;
        // a non-streamed client has seen nothing yet: a judge that failed at any point has no answer to give it,
        // and a cut answer must never go out as a 200
        if (result == null || (!stream.streaming() && result.error() != null)) {
          if (result != null) {
            usage.judge(result.usage());
          }
          String reason = result == null ? ApiError.from(done.cause(), "judge").getMessage()
            : result.error().getString("message", "the judge's answer was cut short");
          ApiError judgeError = ApiError.of(ErrorCode.JUDGE_STREAM_ERROR, "Judge failed: " + reason);
          if (fallbackToPanel() && !cancel.isComplete()) {
            return judgeFallback(answered, usage, judgeError);
          }
          return stream.streaming() ? Future.succeededFuture(spent(stream.fail(judgeError), usage)) : Future.failedFuture(judgeError);
        }
        usage.judge(result.usage());
        if (result.error() == null) {
          answer = new JsonObject().put("content", result.content()).put("usage", usage.total()).put("analysis", result.analysis());
        }
        return Future.succeededFuture(stream.streaming() ? finishStream(result, usage) : completion(result, usage));
      });
  }

  private JsonObject finishStream(SynthesisResult result, UsageReport usage) {
    stream.resumeAt(result.nextSeq(), true);
    if (result.error() != null) {
      return spent(stream.fail(result.error().copy().put("code", ErrorCode.JUDGE_STREAM_ERROR.wire())), usage);
    }
    stream.finish(result.finishReason());
    if (result.analysis() != null) {
      stream.event("analysis", result.analysis());
    }
    if (usage.total() != null) {
      stream.usage(usage.event(), usage.total());
    }
    return spent(stream.done(), usage);
  }

  private JsonObject completion(SynthesisResult result, UsageReport usage) {
    String finish = result.finishReason() == null ? "stop" : result.finishReason();
    JsonObject body = Completions.completion(stream.id(), stream.created(), stream.model(), result.content(), finish, usage.total());
    if (result.analysis() != null) {
      body.put("analysis", result.analysis());
    }
    return new JsonObject().put("body", body);
  }

  private boolean fallbackToPanel() {
    return ctx.config().judge() == null || ctx.config().judge().fallbackToPanel();
  }

  private JsonArray messages() {
    return command.body().getJsonArray("messages");
  }

  /** Rough prompt size (four characters a token) for members cut before they reported usage. */
  private int promptTokenEstimate() {
    long chars = 0;
    for (Object item : messages()) {
      if (item instanceof JsonObject message) {
        chars += Json.text(message.getValue("content")).length();
      }
    }
    return (int) Math.max(1, chars / 4);
  }
}
