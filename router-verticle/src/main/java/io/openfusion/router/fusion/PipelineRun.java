package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.TokenCeilings;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.chat.Usages;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.sse.DeltaContent;
import io.openfusion.shared.telemetry.Phase;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamFailures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code strategy: pipeline}: steps run in order, each either one model ({@code solo}) or a panel and its judge
 * ({@code fuse}), each seeing the earlier steps' outputs. Only the last step writes the answer (streamed as it comes
 * when the client streams); every step reports progress, every step is bounded by the cost ceilings, and usage adds up
 * over all steps.
 */
final class PipelineRun {

  private final FusionRequest request;
  private final String runtimeKey;
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private final JsonArray stepUsage = new JsonArray();
  private JsonObject total;
  private JsonObject analysis;

  PipelineRun(FusionRequest request, String runtimeKey) {
    this.request = request;
    this.runtimeKey = runtimeKey;
  }

  Future<RunResult> run() {
    List<PipelineStep> steps = request.ctx().config().pipeline().steps();
    if (steps.isEmpty()) {
      return Future.failedFuture(ApiError.of(ErrorCode.INVALID_BODY, "Pipeline has no steps configured; add pipeline.steps to the config"));
    }
    AnswerSink answer = request.answer();
    return step(steps, 0).transform(done -> {
      if (done.succeeded()) {
        return answer.complete(null, analysis, new JsonObject().put("steps", stepUsage).put("total", total), total,
          new JsonObject());
      }
      ApiError error = UpstreamFailures.toApiError(done.cause());
      return answer.fail(ApiError.of(ErrorCode.UPSTREAM_ERROR, "Pipeline failed: " + error.getMessage()), total);
    });
  }

  // recursion depth is the number of configured steps
  private Future<Void> step(List<PipelineStep> steps, int index) {
    PipelineStep step = steps.get(index);
    boolean last = index == steps.size() - 1;
    if (request.cancel().isComplete()) {
      return Future.failedFuture(ApiError.of(ErrorCode.CLIENT_GONE, "The client went away"));
    }
    request.answer().progress("progress", new JsonObject().put("stage", "pipeline_step").put("step", step.name())
      .put("use", step.use()).put("index", index + 1).put("total", steps.size())
      .put("message", "Step " + (index + 1) + " of " + steps.size() + ": " + step.name()));
    JsonArray messages = PipelinePrompt.messages(step, request.messages(), outputs);
    // the last step writes the answer; earlier ones only collect what the next steps read
    AnswerSink into = last ? request.answer() : new BufferedAnswer(request.ctx().config().fusionModelName());
    Future<Void> output = step.isFuse() ? fuse(step, messages, into) : solo(step, messages, into, last);
    return output.compose(written -> {
      if (last) {
        return Future.succeededFuture();
      }
      outputs.put(step.name(), into.textSoFar());
      return step(steps, index + 1);
    });
  }

  private Future<Void> solo(PipelineStep step, JsonArray messages, AnswerSink into, boolean last) {
    JsonObject body = request.command().body().copy().put("messages", messages);
    body.remove("stream");
    body.remove("stream_options");
    TokenCeilings.clamp(body, request.recipe().ceilings().passThroughMaxTokens());
    UpstreamRef ref = new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, step.model(), step.name());
    long deadline = request.deadline(request.ctx().config().timeouts().judge().toMillis());
    if (last && request.command().stream()) {
      return streamSolo(ref, body, deadline, step.name(), into);
    }
    MemberCall call = new MemberCall(request.command().requestId(), "step-" + step.name(), ref, body, deadline,
      request.command().caller()).inRecipe(request.ctx().recipeName()).withTrace(request.trace());
    return request.ctx().members().send(call)
      // the worker's error, rebuilt from the bus reply, so the client reads the upstream's own message
      .recover(failure -> Future.failedFuture(ApiError.from(failure, "panel")))
      .map(answer -> {
        addUsage(step.name(), answer.usage());
        into.text(answer.content());
        return null;
      });
  }

  /** The last solo step's deltas go straight into the client's stream, at its pace. */
  private Future<Void> streamSolo(UpstreamRef ref, JsonObject body, long deadline, String name, AnswerSink into) {
    var configured = ref.resolve(request.ctx().config());
    if (configured == null) {
      return Future.failedFuture(ApiError.of(ErrorCode.UPSTREAM_ERROR, "No pass-through upstream is configured for pipeline solo steps"));
    }
    var upstream = configured.withApiKeyIfMissing(runtimeKey);
    body.put("model", upstream.model()).put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    UpstreamCall call = new UpstreamCall(upstream.baseUrl(), upstream.apiKey(), body, deadline, request.cancel(), name,
      upstream.provider());
    return request.ctx().telemetry().stream(request.ctx().client(), call, data -> {
        // the chunk's content text (string or content parts; never reasoning)
        String delta = DeltaContent.of(data);
        if (delta != null && !delta.isEmpty()) {
          into.text(delta);
        }
      }, into, Phase.PIPELINE, request.command().requestId(), request.trace())
      .map(result -> {
        addUsage(name, Usages.fromJson(result.usage()));
        return null;
      });
  }

  private Future<Void> fuse(PipelineStep step, JsonArray messages, AnswerSink into) {
    JsonObject stepBody = request.command().body().copy().put("messages", messages);
    Recipe recipe = request.recipe();
    List<PlannedMember> members = recipe.members();
    long memberDeadline = request.deadline(request.ctx().config().timeouts().member().toMillis());
    int[] done = {0};
    FusionContext ctx = request.ctx();
    return ctx.gathered(ctx.fanOut().run(request.command().requestId(), request.command().caller(), request.trace(),
        "step-" + step.name(), members, member -> MemberBodies.build(request.ctx(), recipe, stepBody, member), memberDeadline,
        request.ctx().config().quorum(), outcome -> {
          done[0]++;
          request.ctx().telemetry().panelMember(outcome.ok());
          if (request.span().recording()) {
            request.span().member(outcome.label(), outcome.ok(), outcome.cut(),
              outcome.error() == null ? null : outcome.error().code());
          }
          request.answer().progress("progress", ProgressEvents.member(outcome, done[0], members.size()).put("step", step.name()));
        }))
      .compose(outcomes -> {
        List<MemberOutcome> answered = outcomes.stream().filter(MemberOutcome::ok).toList();
        new UsageReport(outcomes, 1).event().getJsonArray("panel")
          .forEach(entry -> addUsage(step.name(), ((JsonObject) entry).getJsonObject("usage")));
        if (answered.isEmpty()) {
          String reasons = outcomes.stream().map(o -> o.label() + ": " + o.error().getMessage()).collect(Collectors.joining("; "));
          return Future.failedFuture(ApiError.of(ErrorCode.PANEL_ERROR, "All panel members failed in step '" + step.name() + "': " + reasons));
        }
        return synthesize(step, messages, answered, into);
      });
  }

  private Future<Void> synthesize(PipelineStep step, JsonArray messages, List<MemberOutcome> answered, AnswerSink into) {
    Recipe recipe = request.recipe();
    request.answer().progress("progress", ProgressEvents.synthesis(recipe.judge().model(), answered.size(), 0)
      .put("step", step.name()));
    JsonArray answers = new JsonArray();
    answered.forEach(o -> answers.add(new JsonObject().put("label", o.label()).put("content", o.answer().content())));
    long deadline = request.deadline(request.ctx().config().timeouts().judge().toMillis());
    SynthesisCommand synthesis = new SynthesisCommand(request.command().requestId(), recipe.judge(), messages,
      request.judgeParams(), answers, recipe.emitAnalysis(), deadline, request.command().caller())
      .inRecipe(request.ctx().recipeName()).withTrace(request.trace());
    return JudgeStep.run(request.ctx().context(), synthesis, into)
      .recover(failure -> Future.failedFuture(ApiError.from(failure, "judge")))
      .compose(result -> {
        addUsage(step.name(), result.usage());
        if (result.error() != null) {
          return Future.failedFuture(ApiError.of(ErrorCode.UPSTREAM_ERROR,
            result.error().getString("message", "judge failed")));
        }
        if (result.analysis() != null) {
          analysis = result.analysis();
        }
        return Future.succeededFuture();
      });
  }

  private void addUsage(String step, JsonObject usage) {
    if (usage == null) {
      return;
    }
    stepUsage.add(new JsonObject().put("step", step).put("usage", usage));
    total = Usages.add(total, usage);
  }
}
