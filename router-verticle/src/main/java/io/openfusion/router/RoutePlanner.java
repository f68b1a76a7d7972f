package io.openfusion.router;

import io.openfusion.autorouter.AutoRouter;
import io.openfusion.autorouter.OutcomeStore;
import io.openfusion.autorouter.RouteDecision;
import io.openfusion.autorouter.Tier;
import io.openfusion.router.RunResult;
import io.openfusion.router.budget.TokenGate;
import io.openfusion.router.fusion.Fusion;
import io.openfusion.router.passthrough.PassThrough;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.RecipeResolver;
import io.openfusion.router.stream.ClientStream;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.telemetry.RequestRoute;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.tracing.RunSpan;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The routing policy: how a chat request is answered. A request for another model (or with client tools) passes
 * through; a request for the fusion model is fused by its recipe's strategy, unless the Auto Router sends it to one
 * model instead. Every run goes through the token gate, is measured once it ends, and (fusion or pass-through, not
 * pipelines) teaches the Auto Router whether its route worked.
 */
public final class RoutePlanner {

  private final Vertx vertx;
  private final OpenFusionConfig config;
  private final RecipeResolver recipes;
  private final AutoRouter autoRouter;
  private final OutcomeStore outcomes;
  private final Fusion fusion;
  private final PassThrough passThrough;
  private final TokenGate tokens;
  private final RuntimeKeys runtimeKeys;
  private final UpstreamClient client;
  private final Telemetry telemetry;

  public RoutePlanner(Vertx vertx, OpenFusionConfig config, AutoRouter autoRouter, OutcomeStore outcomes, Fusion fusion,
                      PassThrough passThrough, TokenGate tokens, RuntimeKeys runtimeKeys, UpstreamClient client,
                      Telemetry telemetry) {
    this.vertx = vertx;
    this.config = config;
    this.recipes = new RecipeResolver(config);
    this.autoRouter = autoRouter;
    this.outcomes = outcomes;
    this.fusion = fusion;
    this.passThrough = passThrough;
    this.tokens = tokens;
    this.runtimeKeys = runtimeKeys;
    this.client = client;
    this.telemetry = telemetry;
  }

  /**
   * Answers one request; {@code started} is when the router received it (for the latency it reports).
   *
   * @param stream the request's client stream, or null for a non-streamed request
   */
  public Future<RunResult> answer(ChatCommand command, ClientStream stream, Future<Void> cancel, long started) {
    return answer(command, stream, cancel, started, new RequestTrail());
  }

  /**
   * As {@link #answer(ChatCommand, ClientStream, Future, long)}, noting in {@code trail} what was decided, for the
   * request's usage report.
   */
  public Future<RunResult> answer(ChatCommand command, ClientStream stream, Future<Void> cancel, long started,
                                  RequestTrail trail) {
    return answer(command, stream, cancel, started, trail, RunSpan.NONE);
  }

  /**
   * The same, also described on the run's span ({@link RunSpan#NONE} when the node has no traces), which every
   * upstream call of the run joins. The caller ends the span when the returned run ends.
   */
  public Future<RunResult> answer(ChatCommand command, ClientStream stream, Future<Void> cancel, long started,
                                  RequestTrail trail, RunSpan span) {
    if (!config.allowUiApiKey()) {
      return answer(command, stream, cancel, null, started, trail, span);
    }
    return runtimeKeys.get(command.caller()).compose(key -> answer(command, stream, cancel, key, started, trail, span));
  }

  private Future<RunResult> answer(ChatCommand command, ClientStream stream, Future<Void> cancel, String runtimeKey,
                                   long started, RequestTrail trail, RunSpan span) {
    RequestIntent intent;
    try {
      intent = RequestIntent.of(config, recipes, command.body(), command.override());
    } catch (ApiError rejected) {
      return Future.failedFuture(rejected);
    }
    Recipe recipe = intent.recipe();
    trail.recipe(recipe);
    if (intent.passesThrough()) {
      UpstreamRef target = new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, intent.target(), "pass-through");
      return passThroughRun(command, stream, recipe, target, cancel, runtimeKey, started, trail, span);
    }
    if (!config.router().enabled()) {
      return fusedRun(command, stream, recipe, cancel, runtimeKey, started, trail, span);
    }
    return autoRouter.decide(command.body(), cancel, command.deadline(), command.requestId(), span.headers())
      .compose(decision -> {
        span.autoRouter(decision.reason());
        return decision.fuse()
          ? fusedRun(command, stream, recipe, cancel, runtimeKey, started, trail, span)
          : passThroughRun(command, stream, recipe, soloTarget(decision), cancel, runtimeKey, started, trail, span);
      });
  }

  /** A fusion teaches the router about fusing; a pipeline is not a single fusion, so it does not. */
  private Future<RunResult> fusedRun(ChatCommand command, ClientStream stream, Recipe recipe, Future<Void> cancel,
                                     String runtimeKey, long started, RequestTrail trail, RunSpan span) {
    RequestRoute route = recipe.strategy() == Strategy.PIPELINE ? RequestRoute.PIPELINE : RequestRoute.FUSION;
    if (span.recording()) {
      span.route(route.wire());
      span.recipe(recipe.strategy().wire(), route == RequestRoute.PIPELINE ? null : recipe.aggregator().wire());
    }
    Future<RunResult> run = tokens.fusion(command, recipe, cancel,
      () -> fusion.run(command, recipe, cancel, runtimeKey, stream, span));
    trail.route(route);
    return route == RequestRoute.PIPELINE
      ? measured(route, command, cancel, started, span, run)
      : measured(route, command, cancel, started, span, recorded(OutcomeStore.FUSION, command, run));
  }

  private Future<RunResult> passThroughRun(ChatCommand command, ClientStream stream, Recipe recipe, UpstreamRef target,
                                           Future<Void> cancel, String runtimeKey, long started, RequestTrail trail,
                                           RunSpan span) {
    trail.route(RequestRoute.PASS_THROUGH);
    var upstream = target.resolve(config);
    trail.passThroughModel(upstream != null ? upstream.model() : target.model());
    return measured(RequestRoute.PASS_THROUGH, command, cancel, started, span, recorded(OutcomeStore.PASS_THROUGH,
      command, passedThrough(command, stream, recipe, target, cancel, runtimeKey, span)));
  }

  private static UpstreamRef soloTarget(RouteDecision decision) {
    return decision.soloTarget() != null ? decision.soloTarget()
      : new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, null, "pass-through");
  }

  /**
   * A pass-through inside the caller's token limits and budget. A metered request relays through its own
   * {@link PassThrough} over a client that taps the upstream's usage; the others share this instance's.
   */
  private Future<RunResult> passedThrough(ChatCommand command, ClientStream stream, Recipe recipe, UpstreamRef target,
                                          Future<Void> cancel, String runtimeKey, RunSpan span) {
    if (span.recording()) {
      span.route(RequestRoute.PASS_THROUGH.wire());
      span.target(target.model() != null ? target.model() : target.label());
    }
    return tokens.passThrough(command, recipe, target, cancel, client, upstream ->
      (upstream == client ? passThrough : new PassThrough(vertx, config, upstream, telemetry))
        .run(command, recipe, target, cancel, runtimeKey, stream, span.headers()));
  }

  /**
   * Counts and logs the request once its run is over (a stream: once the client has its last byte), from when the
   * router got it. A stream that ended with an error chunk counts as an error.
   */
  private Future<RunResult> measured(RequestRoute route, ChatCommand command, Future<Void> cancel, long started,
                                      RunSpan span, Future<RunResult> run) {
    return run.andThen(done -> telemetry.request(route, RunResult.outcome(done, cancel),
      System.currentTimeMillis() - started, command.requestId(), command.stream(), span));
  }

  /** Teaches the Auto Router whether this route worked for this kind of prompt (errors in the stream count). */
  private Future<RunResult> recorded(String route, ChatCommand command, Future<RunResult> run) {
    JsonArray messages = command.body().getJsonArray("messages");
    Tier tier = AutoRouter.tier(AutoRouter.latestUserText(messages));
    return run.andThen(done -> outcomes.record(route, tier, done.succeeded() && !done.result().error()));
  }
}
