package io.openfusion.router.fusion;

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
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.upstream.UpstreamFailures;
import io.openfusion.shared.sse.DeltaContent;
import io.openfusion.shared.telemetry.Phase;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.chat.Usages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code strategy: pipeline}: steps run in order, each either one model ({@code solo}) or a panel and
 * its judge ({@code fuse}), each seeing the earlier steps' outputs. Only the last step streams to the
 * client; every step reports progress, every step is bounded by the cost ceilings, and usage adds up
 * over all steps.
 */
final class PipelineRun {

  private final FusionContext ctx;
  private final ChatCommand command;
  private final Recipe recipe;
  private final JsonObject judgeParams;
  private final FusionStream stream;
  private final Future<Void> cancel;
  private final String runtimeKey;
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private final JsonArray stepUsage = new JsonArray();
  private JsonObject total;
  private JsonObject analysis;

  PipelineRun(FusionContext ctx, ChatCommand command, Recipe recipe, JsonObject judgeParams, Future<Void> cancel,
              String runtimeKey) {
    this.ctx = ctx;
    this.runtimeKey = runtimeKey;
    this.command = command;
    this.recipe = recipe;
    this.judgeParams = judgeParams;
    this.cancel = cancel;
    this.stream = new FusionStream(ctx.eventBus(), command, ctx.config().fusionModelName());
  }

  Future<JsonObject> run() {
    List<PipelineStep> steps = ctx.config().pipeline().steps();
    if (steps.isEmpty()) {
      return Future.failedFuture(ApiError.of(ErrorCode.INVALID_BODY, "Pipeline has no steps configured; add pipeline.steps to the config"));
    }
    return step(steps, 0)
      .transform(done -> {
        if (done.succeeded()) {
          return Future.succeededFuture(finish(done.result()));
        }
        ApiError error = UpstreamFailures.toApiError(done.cause());
        if (stream.streaming()) {
          return Future.succeededFuture(stream.fail(ApiError.of(ErrorCode.UPSTREAM_ERROR, "Pipeline failed: " + error.getMessage())));
        }
        return Future.failedFuture(error);
      });
  }

  // recursion depth is the number of configured steps
  private Future<String> step(List<PipelineStep> steps, int index) {
    PipelineStep step = steps.get(index);
    boolean last = index == steps.size() - 1;
    if (cancel.isComplete()) {
      return Future.failedFuture(ApiError.of(ErrorCode.INVALID_BODY, "The client went away"));
    }
    stream.event("progress", new JsonObject().put("stage", "pipeline_step").put("step", step.name()).put("use", step.use())
      .put("index", index + 1).put("total", steps.size())
      .put("message", "Step " + (index + 1) + " of " + steps.size() + ": " + step.name()));
    JsonArray messages = PipelinePrompt.messages(step, nonSystem(), outputs);
    Future<String> output = step.isFuse() ? fuse(step, messages, last) : solo(step, messages, last);
    return output.compose(text -> {
      outputs.put(step.name(), text);
      return last ? Future.succeededFuture(text) : step(steps, index + 1);
    });
  }

  private Future<String> solo(PipelineStep step, JsonArray messages, boolean last) {
    JsonObject body = command.body().copy().put("messages", messages);
    body.remove("stream");
    body.remove("stream_options");
    TokenCeilings.clamp(body, recipe.ceilings().passThroughMaxTokens());
    UpstreamRef ref = new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, step.model(), step.name());
    long deadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().judge().toMillis());
    if (last && stream.streaming()) {
      return streamSolo(ref, body, deadline, step.name());
    }
    MemberCall call = new MemberCall(command.requestId(), "step-" + step.name(), ref, body, deadline, command.caller());
    return ctx.members().send(call)
      // the worker's error, rebuilt from the bus reply, so the client reads the upstream's own message
      .recover(failure -> Future.failedFuture(ApiError.from(failure, "panel")))
      .map(answer -> {
        addUsage(step.name(), answer.usage());
        return answer.content();
      });
  }

  /** The last solo step's deltas go straight to the client under this response's id. */
  private Future<String> streamSolo(UpstreamRef ref, JsonObject body, long deadline, String name) {
    var configured = ref.resolve(ctx.config());
    if (configured == null) {
      return Future.failedFuture(ApiError.of(ErrorCode.UPSTREAM_ERROR, "No pass-through upstream is configured for pipeline solo steps"));
    }
    var upstream = configured.withApiKeyIfMissing(runtimeKey);
    StringBuilder text = new StringBuilder();
    body.put("model", upstream.model()).put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    UpstreamCall call = new UpstreamCall(upstream.baseUrl(), upstream.apiKey(), body, deadline, cancel, name, upstream.provider());
    return ctx.telemetry().stream(ctx.client(), call, data -> {
        String delta = delta(data);
        if (delta != null) {
          text.append(delta);
          stream.content(delta);
        }
      }, Phase.PIPELINE, command.requestId())
      .map(result -> {
        addUsage(name, Usages.fromJson(result.usage()));
        return text.toString();
      });
  }

  private Future<String> fuse(PipelineStep step, JsonArray messages, boolean last) {
    JsonObject stepBody = command.body().copy().put("messages", messages);
    List<PlannedMember> members = recipe.members();
    long memberDeadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().member().toMillis());
    int[] done = {0};
    return ctx.fanOut().run(command.requestId(), command.caller(), "step-" + step.name(), members, member -> memberBody(stepBody, member),
        memberDeadline, ctx.config().quorum(), outcome -> {
          done[0]++;
          ctx.telemetry().panelMember(outcome.ok());
          stream.event("progress", ProgressEvents.member(outcome, done[0], members.size()).put("step", step.name()));
        })
      .compose(outcomes -> {
        List<MemberOutcome> answered = outcomes.stream().filter(MemberOutcome::ok).toList();
        new UsageReport(outcomes, 1).event().getJsonArray("panel")
          .forEach(entry -> addUsage(step.name(), ((JsonObject) entry).getJsonObject("usage")));
        if (answered.isEmpty()) {
          String reasons = outcomes.stream().map(o -> o.label() + ": " + o.error().getMessage()).collect(Collectors.joining("; "));
          return Future.failedFuture(ApiError.of(ErrorCode.PANEL_ERROR, "All panel members failed in step '" + step.name() + "': " + reasons));
        }
        return synthesize(step, messages, answered, last && stream.streaming());
      });
  }

  private JsonObject memberBody(JsonObject stepBody, PlannedMember member) {
    return MemberBodies.build(ctx, recipe, stepBody, member);
  }


  private Future<String> synthesize(PipelineStep step, JsonArray messages, List<MemberOutcome> answered, boolean toClient) {
    stream.event("progress", ProgressEvents.synthesis(recipe.judge().model(), answered.size(), 0).put("step", step.name()));
    JsonArray answers = new JsonArray();
    answered.forEach(o -> answers.add(new JsonObject().put("label", o.label()).put("content", o.answer().content())));
    long deadline = Math.min(command.deadline(), System.currentTimeMillis() + ctx.config().timeouts().judge().toMillis());
    SynthesisCommand synthesis = new SynthesisCommand(command.requestId(), toClient, command.streamTo(), stream.nextSeq(),
      recipe.judge(), messages, judgeParams, answers, recipe.emitAnalysis(), stream.chunkMeta(), deadline, command.caller());
    return ctx.eventBus().<JsonObject>request(Addresses.JUDGE_SYNTHESIZE, synthesis.toJson(), Deadlines.until(deadline, command.requestId()))
      .recover(failure -> Future.failedFuture(ApiError.from(failure, "judge")))
      .map(reply -> SynthesisResult.fromJson(reply.body()))
      .compose(result -> {
        addUsage(step.name(), result.usage());
        if (toClient) {
          stream.resumeAt(result.nextSeq(), true);
        }
        if (result.error() != null) {
          return Future.failedFuture(new ApiError(502, "upstream_error", ErrorCode.UPSTREAM_ERROR.wire(),
            result.error().getString("message", "judge failed")));
        }
        if (result.analysis() != null) {
          analysis = result.analysis();
        }
        return Future.succeededFuture(toClient ? "" : result.content());
      });
  }

  private JsonObject finish(String lastOutput) {
    JsonObject usage = new JsonObject().put("steps", stepUsage).put("total", total);
    if (!stream.streaming()) {
      JsonObject body = Completions.completion(stream.id(), stream.created(), stream.model(), lastOutput, "stop", total);
      if (analysis != null) {
        body.put("analysis", analysis);
      }
      return new JsonObject().put("body", body);
    }
    stream.finish("stop");
    if (analysis != null) {
      stream.event("analysis", analysis);
    }
    if (total != null) {
      stream.usage(usage, total);
    }
    // a streamed reply carries the usage too, so the router can settle the request's token reservation
    return total == null ? stream.done() : stream.done().put("usage", total);
  }

  private void addUsage(String step, JsonObject usage) {
    if (usage == null) {
      return;
    }
    stepUsage.add(new JsonObject().put("step", step).put("usage", usage));
    total = Usages.add(total, usage);
  }

  private JsonArray nonSystem() {
    return command.body().getJsonArray("messages");
  }

  /** The chunk's content text (string or Mistral-style parts; never reasoning), or null when it has none. */
  private static String delta(String data) {
    String content = DeltaContent.of(data);
    return content == null || content.isEmpty() ? null : content;
  }
}
