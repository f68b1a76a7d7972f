package io.openfusion.router.fusion;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.TokenCeilings;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.StreamSink;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Conducts one fused request: progress, the panel fan-out, then the judge, then the stream's tail
 * (one terminal chunk, analysis, usage, {@code [DONE]}). Streamed requests write their frames straight
 * to the client's api instance; non-streamed ones reply with the whole completion.
 */
final class FusionRun {

  private final FusionContext ctx;
  private final ChatCommand command;
  private final Recipe recipe;
  private final JsonObject judgeParams;
  private final StreamSink sink;
  private final String id = Completions.newId();
  private final long created = Completions.nowSeconds();
  private final Future<Void> cancel;
  private int completed;

  FusionRun(FusionContext ctx, ChatCommand command, Recipe recipe, JsonObject judgeParams, Future<Void> cancel) {
    this.ctx = ctx;
    this.command = command;
    this.recipe = recipe;
    this.judgeParams = judgeParams;
    this.cancel = cancel;
    this.sink = command.stream() ? new StreamSink(ctx.eventBus(), command.streamTo(), command.requestId(), 0) : null;
  }

  Future<JsonObject> run() {
    String judgeModel = recipe.judge() == null ? null : recipe.judge().model();
    event("progress", ProgressEvents.panel(recipe.memberModels(), judgeModel));
    long memberDeadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().member().toMillis());
    return ctx.fanOut().run(command.requestId(), recipe.members(), this::memberBody, memberDeadline, this::onMember)
      .compose(outcomes -> {
        List<MemberOutcome> answered = outcomes.stream().filter(MemberOutcome::ok).toList();
        if (answered.isEmpty()) {
          return allFailed(outcomes);
        }
        if (cancel.isComplete()) {
          return Future.failedFuture(ApiError.of(ErrorCode.INVALID_BODY, "Client went away"));
        }
        return judge(outcomes, answered);
      });
  }

  private JsonObject memberBody(PlannedMember member) {
    JsonObject body = command.body().copy();
    body.remove("model");
    body.remove("stream");
    body.remove("stream_options");
    body.mergeIn(member.bodyOverrides());
    TokenCeilings.clamp(body, recipe.ceilings().panelMaxTokens());
    var upstream = member.ref().resolve(ctx.config());
    if (upstream != null) {
      WebTools.inject(body, recipe.tools(), upstream.baseUrl());
    }
    return body;
  }

  private void onMember(MemberOutcome outcome) {
    completed++;
    if (outcome.ok() && recipe.exposePanel()) {
      event("panel_answer", ProgressEvents.panelAnswer(outcome));
    }
    event("progress", ProgressEvents.member(outcome, completed, recipe.members().size()));
  }

  private Future<JsonObject> allFailed(List<MemberOutcome> outcomes) {
    String reasons = outcomes.stream().map(o -> o.label() + ": " + o.error().getMessage()).collect(Collectors.joining("; "));
    ApiError error = ApiError.of(ErrorCode.PANEL_ERROR, "All panel members failed: " + reasons);
    if (sink == null) {
      return Future.failedFuture(error);
    }
    return Future.succeededFuture(endWithError(error));
  }

  private Future<JsonObject> judge(List<MemberOutcome> outcomes, List<MemberOutcome> answered) {
    UsageReport usage = new UsageReport(outcomes);
    event("progress", ProgressEvents.synthesis(recipe.judge().model(), answered.size(), outcomes.size() - answered.size()));
    JsonArray answers = new JsonArray();
    answered.forEach(o -> answers.add(new JsonObject().put("label", o.label()).put("content", o.answer().content())));
    long deadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().judge().toMillis());
    SynthesisCommand synthesis = new SynthesisCommand(command.requestId(), sink != null, command.streamTo(),
      sink == null ? 0 : sink.nextSeq(), recipe.judge(), command.body().getJsonArray("messages"), judgeParams, answers,
      recipe.emitAnalysis(), new JsonObject().put("id", id).put("created", created).put("model", fusionModel()), deadline);
    return ctx.eventBus().<JsonObject>request(Addresses.JUDGE_SYNTHESIZE, synthesis.toJson(), Deadlines.until(deadline, command.requestId()))
      .map(reply -> SynthesisResult.fromJson(reply.body()))
      .transform(done -> {
        if (done.failed()) {
          ApiError error = ApiError.from(done.cause(), "judge");
          ApiError judgeError = ApiError.of(ErrorCode.JUDGE_STREAM_ERROR, "Judge failed: " + error.getMessage());
          return sink == null ? Future.failedFuture(judgeError) : Future.succeededFuture(endWithError(judgeError));
        }
        SynthesisResult result = done.result();
        usage.judge(result.usage());
        return Future.succeededFuture(sink == null ? completion(result, usage) : finishStream(result, usage));
      });
  }

  private JsonObject finishStream(SynthesisResult result, UsageReport usage) {
    sink.resumeAt(result.nextSeq());
    if (result.error() != null) {
      JsonObject error = result.error().copy().put("code", ErrorCode.JUDGE_STREAM_ERROR.wire());
      sink.send(SseFrames.data(Completions.errorChunk(error).encode()));
      sink.sendLast(SseFrames.done(), false);
      return frames();
    }
    String finish = result.finishReason() == null ? "stop" : result.finishReason();
    sink.send(SseFrames.data(Completions.chunk(id, created, fusionModel(), new JsonObject(), finish).encode()));
    if (result.analysis() != null) {
      event("analysis", result.analysis());
    }
    if (usage.total() != null) {
      event("usage", usage.event());
    }
    sink.sendLast(SseFrames.done(), true);
    return frames();
  }

  private JsonObject completion(SynthesisResult result, UsageReport usage) {
    String finish = result.finishReason() == null ? "stop" : result.finishReason();
    JsonObject body = Completions.completion(id, created, fusionModel(), result.content(), finish, usage.total());
    if (result.analysis() != null) {
      body.put("analysis", result.analysis());
    }
    return new JsonObject().put("body", body);
  }

  private JsonObject endWithError(ApiError error) {
    sink.send(SseFrames.data(Completions.errorChunk(error.errorObject()).encode()));
    sink.sendLast(SseFrames.done(), false);
    return frames();
  }

  private JsonObject frames() {
    return new JsonObject().put("frames", sink.nextSeq());
  }

  private void event(String name, JsonObject payload) {
    if (sink != null) {
      sink.send(SseFrames.event(name, payload.encode()));
    }
  }

  private String fusionModel() {
    return ctx.config().fusionModelName();
  }
}
