package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.router.cache.ResponseCache;
import io.openfusion.shared.dispatch.MemberDispatch;
import io.openfusion.router.recipe.KeyCheck;
import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.TokenCeilings;
import io.openfusion.router.stream.ClientStream;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.tracing.RunSpan;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Checks a fused request against its recipe, then runs it. */
public final class Fusion {

  /** Client fields the judge never gets: the judge writes text, it does not call the client's tools. */
  private static final List<String> NOT_FOR_JUDGE = List.of("messages", "model", "stream", "stream_options", "tools",
    "tool_choice", "functions", "function_call", "parallel_tool_calls", "n");

  private final FusionContext ctx;

  /**
   * @param members       sends member calls to the panel workers (again, if their node dies)
   * @param responseCache the node's response cache, or null when it is off
   */
  public Fusion(Vertx vertx, OpenFusionConfig config, MemberDispatch members, UpstreamClient client,
                ResponseCache responseCache, Telemetry telemetry) {
    this(vertx, config, members, client, responseCache, telemetry, null);
  }

  /** @param recipeName the named recipe {@code config} is, or null for the node's own config */
  public Fusion(Vertx vertx, OpenFusionConfig config, MemberDispatch members, UpstreamClient client,
                ResponseCache responseCache, Telemetry telemetry, String recipeName) {
    Context context = vertx.getOrCreateContext();
    // the one place member calls become Rx sources: the fan-out is a stream from there on
    PanelFanOut fanOut = new PanelFanOut(
      call -> Single.fromCompletionStage(members.send(call.inRecipe(recipeName)).toCompletionStage()), members, context);
    this.ctx = new FusionContext(config, vertx.eventBus(), members, fanOut, client, responseCache, telemetry, context,
      recipeName);
  }

  /**
   * @param runtimeKey the caller's playground key (or null); workers fill it in themselves, here it only passes the key check
   * @param stream     the request's client stream, or null for a non-streamed request
   */
  public Future<RunResult> run(ChatCommand command, Recipe recipe, Future<Void> cancel, String runtimeKey,
                               ClientStream stream) {
    return run(command, recipe, cancel, runtimeKey, stream, RunSpan.NONE);
  }

  /** @param span the run's span: its calls join it, and it is told about members, cache hits and fallbacks */
  public Future<RunResult> run(ChatCommand command, Recipe recipe, Future<Void> cancel, String runtimeKey,
                               ClientStream stream, RunSpan span) {
    JsonObject judgeParams;
    try {
      judgeParams = check(command, recipe, runtimeKey);
    } catch (ApiError rejected) {
      return Future.failedFuture(rejected);
    }
    FusionRequest request = new FusionRequest(ctx, command, recipe, judgeParams,
      AnswerSink.of(stream, command, ctx.config().fusionModelName(), keepsAnswers(recipe)), cancel, span);
    if (recipe.strategy() == Strategy.PIPELINE) {
      return new PipelineRun(request, runtimeKey).run();
    }
    return new FusionRun(request).run();
  }

  /** Whether the run stores its answer when it ends: only a fusion's, and only into the response cache. */
  private boolean keepsAnswers(Recipe recipe) {
    return ctx.responseCache() != null && recipe.strategy() != Strategy.PIPELINE;
  }

  /** Everything that can be rejected before a single upstream call; returns the judge's parameters. */
  private JsonObject check(ChatCommand command, Recipe recipe, String runtimeKey) {
    boolean pipeline = recipe.strategy() == Strategy.PIPELINE;
    boolean fuses = !pipeline || ctx.config().pipeline().steps().stream().anyMatch(PipelineStep::isFuse);
    if (pipeline) {
      ctx.config().pipeline().steps().stream().filter(step -> !step.isFuse())
        .forEach(step -> KeyCheck.require(filled(new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, step.model(), step.name()), runtimeKey)));
    }
    if (fuses && recipe.members().isEmpty()) {
      throw ApiError.of(ErrorCode.UPSTREAM_ERROR, "The recipe has no panel members; add some under 'panel' in the config");
    }
    if (fuses && (pipeline || recipe.aggregator() != Aggregator.VOTE) && recipe.judge() == null) {
      throw ApiError.of(ErrorCode.JUDGE_NOT_CONFIGURED, "Judge must be configured for " + recipe.aggregator().wire()
        + " aggregation; add a 'judge' to the config or use aggregator: vote");
    }
    for (PlannedMember member : recipe.members()) {
      KeyCheck.require(filled(member.ref(), runtimeKey));
    }
    JsonObject params = command.body().copy();
    NOT_FOR_JUDGE.forEach(params::remove);
    if (fuses && recipe.judge() != null) {
      KeyCheck.require(filled(recipe.judge(), runtimeKey));
      TokenCeilings.reject(params, recipe.ceilings().judgeMaxTokens(), "judge");
      var judge = recipe.judge().resolve(ctx.config());
      if (recipe.tools().applyToJudge() && judge != null) {
        WebTools.inject(params, recipe.tools(), judge.baseUrl());
      }
    }
    return params;
  }

  private io.openfusion.shared.config.UpstreamConfig filled(UpstreamRef ref, String runtimeKey) {
    var upstream = ref.resolve(ctx.config());
    return upstream == null ? null : upstream.withApiKeyIfMissing(runtimeKey);
  }
}
