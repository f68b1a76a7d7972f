package io.openfusion.router;

import io.openfusion.router.dispatch.MemberDispatch;
import io.openfusion.router.dispatch.OriginWatch;
import io.openfusion.router.budget.TokenGate;
import io.openfusion.router.estimate.Estimator;
import io.openfusion.router.estimate.WorstCase;
import io.openfusion.router.fusion.Fusion;
import io.openfusion.router.passthrough.PassThrough;
import io.openfusion.router.recipe.Choices;
import io.openfusion.router.recipe.FusionPlugin;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.RecipeResolver;
import io.openfusion.router.recipe.ToolRule;
import io.openfusion.router.routing.AutoRouter;
import io.openfusion.router.routing.OutcomeStore;
import io.openfusion.router.routing.RouteDecision;
import io.openfusion.router.routing.Tier;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.calls.UpstreamSettings;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.limits.TokenPolicy;
import io.openfusion.shared.telemetry.RequestRoute;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Decides how each chat request is answered (fused by the panel and judge, or passed through to one
 * model, possibly chosen by the Auto Router) and conducts it. Replies when the request is over: with
 * the completion for non-streamed requests, with the number of stream frames sent for streamed ones.
 */
public final class RouterVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final OutcomeStore outcomes;
  private final RouterShared shared;
  private final Telemetry telemetry;
  private final CancelRegistry cancels = new CancelRegistry();
  private UpstreamClient client;
  private RecipeResolver recipes;
  private Fusion fusion;
  private PassThrough passThrough;
  private AutoRouter autoRouter;
  private RuntimeKeys runtimeKeys;
  private Estimator estimator;
  private TokenGate tokens;
  private MemberDispatch members;
  private OriginWatch origins;

  /** @param shared the node's router state, shared by its router instances */
  public RouterVerticle(OpenFusionConfig config, RouterShared shared) {
    this(config, shared, Telemetry.withoutMetrics());
  }

  /** @param telemetry the node's metrics and logs, shared by its router instances */
  public RouterVerticle(OpenFusionConfig config, RouterShared shared, Telemetry telemetry) {
    this.config = config;
    this.shared = shared;
    this.telemetry = telemetry;
    this.outcomes = shared.outcomes();
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    recipes = new RecipeResolver(config);
    ClusterView cluster = ClusterView.of(vertx);
    members = new MemberDispatch(vertx, cluster);
    origins = new OriginWatch(vertx, cluster);
    origins.start();
    fusion = new Fusion(vertx, config, members, client, shared.responseCache(), telemetry);
    estimator = new Estimator(config, shared.pricing());
    tokens = new TokenGate(new TokenPolicy(config.limits()), shared.ledger(), new WorstCase(config, shared.pricing()));
    passThrough = new PassThrough(vertx, config, client, telemetry);
    autoRouter = new AutoRouter(config, client, outcomes, telemetry);
    runtimeKeys = new RuntimeKeys(vertx);
    MessageConsumer<JsonObject> chats = vertx.eventBus().consumer(Addresses.ROUTER_CHAT, this::chat);
    MessageConsumer<JsonObject> learned = vertx.eventBus().consumer(Addresses.ROUTER_OUTCOMES,
      message -> outcomes.snapshotAsync()
        .onSuccess(message::reply)
        .onFailure(failure -> ApiError.from(failure, "router").failReply(message)));
    MessageConsumer<JsonObject> estimates = vertx.eventBus().consumer(Addresses.ROUTER_ESTIMATE, this::estimate);
    MessageConsumer<JsonObject> cancellations = cancels.listen(vertx.eventBus());
    return Future.all(List.of(members.start(), chats.completion(), learned.completion(), estimates.completion(),
      cancellations.completion()));
  }

  @Override
  public Future<?> stop() {
    if (origins != null) {
      origins.stop();
    }
    Future<Void> dispatch = members == null ? Future.succeededFuture() : members.stop();
    return client == null ? dispatch : Future.all(dispatch, client.close());
  }

  /** How many times the Auto Router's classifier fell back to the heuristic on this instance. */
  public long routerFallbacks() {
    return autoRouter == null ? 0 : autoRouter.fallbacks();
  }

  private void chat(Message<JsonObject> message) {
    ChatCommand command;
    try {
      command = ChatCommand.fromJson(message.body());
    } catch (RuntimeException malformed) {
      message.fail(400, "malformed chat command: " + malformed.getMessage());
      return;
    }
    CancelRegistry.Signal cancel = cancels.open(command.requestId());
    Runnable untrack = origins.track(command);
    long started = System.currentTimeMillis();
    route(command, cancel.future(), started)
      .onComplete(done -> {
        cancel.close();
        untrack.run();
      })
      .onSuccess(message::reply)
      .onFailure(failure -> ApiError.from(failure, "router").failReply(message));
  }

  /** Looks the caller's playground key up only when the server accepts such keys at all. */
  /** {@code POST /v1/estimate}: the calls and cost a request would make, without making them. */
  private void estimate(Message<JsonObject> message) {
    JsonObject body = message.body().getJsonObject("body", new JsonObject());
    JsonObject override = config.allowRequestOverrides() ? message.body().getJsonObject("override") : null;
    Recipe recipe;
    boolean passesThrough;
    try {
      FusionPlugin.Request plugin = FusionPlugin.read(body, config.fusionModelName());
      recipe = recipes.resolve(FusionPlugin.merge(config.allowRequestOverrides() ? plugin.override() : null, override));
      passesThrough = !(plugin.present() || config.fusionModelName().equals(body.getValue("model")))
        || ToolRule.requiresPassThrough(body);
      if (!passesThrough) {
        Choices.requireOne(body, config.fusionModelName());
      }
    } catch (ApiError rejected) {
      rejected.failReply(message);
      return;
    }
    boolean routerMayRun = config.router().enabled() && !passesThrough;
    (passesThrough ? estimator.passThrough(recipe, body) : estimator.estimate(recipe, body, routerMayRun))
      .onSuccess(message::reply)
      .onFailure(failure -> ApiError.from(failure, "router").failReply(message));
  }

  private Future<JsonObject> route(ChatCommand command, Future<Void> cancel, long started) {
    if (!config.allowUiApiKey()) {
      return route(command, cancel, null, started);
    }
    return runtimeKeys.get(command.caller()).compose(key -> route(command, cancel, key, started));
  }

  private Future<JsonObject> route(ChatCommand command, Future<Void> cancel, String runtimeKey, long started) {
    Recipe recipe;
    FusionPlugin.Request plugin;
    try {
      plugin = FusionPlugin.read(command.body(), config.fusionModelName());
      recipe = recipes.resolve(FusionPlugin.merge(plugin.override(), command.override()));
    } catch (ApiError rejected) {
      return Future.failedFuture(rejected);
    }
    String model = command.body().getString("model");
    boolean wantsFusion = plugin.present() || config.fusionModelName().equals(model);
    boolean passesThrough = !wantsFusion || ToolRule.requiresPassThrough(command.body());
    if (!passesThrough) {
      try {
        // checked before the Auto Router decides, so the answer never depends on which route it picks
        Choices.requireOne(command.body(), config.fusionModelName());
      } catch (ApiError rejected) {
        return Future.failedFuture(rejected);
      }
    }
    if (passesThrough) {
      String target = config.fusionModelName().equals(model) ? null : model;
      return measured(RequestRoute.PASS_THROUGH, command, cancel, started, recorded(Route.PASS_THROUGH, command,
        passedThrough(command, recipe, new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, target, "pass-through"), cancel,
          runtimeKey)));
    }
    if (recipe.strategy() == Strategy.PIPELINE && !config.router().enabled()) {
      return measured(RequestRoute.PIPELINE, command, cancel, started, fused(command, recipe, cancel, runtimeKey));
    }
    if (!config.router().enabled()) {
      return measured(RequestRoute.FUSION, command, cancel, started,
        recorded(Route.FUSION, command, fused(command, recipe, cancel, runtimeKey)));
    }
    return autoRouter.decide(command.body(), cancel, command.deadline(), command.requestId())
      .compose(decision -> routed(decision, command, recipe, cancel, runtimeKey, started));
  }

  private Future<JsonObject> routed(RouteDecision decision, ChatCommand command, Recipe recipe, Future<Void> cancel,
                                    String runtimeKey, long started) {
    if (decision.fuse()) {
      Future<JsonObject> run = fused(command, recipe, cancel, runtimeKey);
      // pipelines are not single fusions, so they do not teach the router about fusing
      return recipe.strategy() == Strategy.PIPELINE
        ? measured(RequestRoute.PIPELINE, command, cancel, started, run)
        : measured(RequestRoute.FUSION, command, cancel, started, recorded(Route.FUSION, command, run));
    }
    UpstreamRef target = decision.soloTarget() != null ? decision.soloTarget()
      : new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, null, "pass-through");
    return measured(RequestRoute.PASS_THROUGH, command, cancel, started,
      recorded(Route.PASS_THROUGH, command, passedThrough(command, recipe, target, cancel, runtimeKey)));
  }

  /** A fused or pipeline run, inside the caller's token limits and budget. */
  private Future<JsonObject> fused(ChatCommand command, Recipe recipe, Future<Void> cancel, String runtimeKey) {
    return tokens.fusion(command, recipe, cancel, () -> fusion.run(command, recipe, cancel, runtimeKey));
  }

  /**
   * A pass-through inside the caller's token limits and budget. A metered request relays through its own
   * {@link PassThrough} over a client that taps the upstream's usage; the others share this instance's.
   */
  private Future<JsonObject> passedThrough(ChatCommand command, Recipe recipe, UpstreamRef target, Future<Void> cancel,
                                           String runtimeKey) {
    return tokens.passThrough(command, recipe, target, cancel, client, upstream ->
      (upstream == client ? passThrough : new PassThrough(vertx, config, upstream, telemetry))
        .run(command, recipe, target, cancel, runtimeKey));
  }

  /**
   * Counts and logs the request once its run is over (a stream: after its last frame), from when the router got
   * it. A stream that ended with an error chunk replies {@code "error": true} and counts as an error.
   */
  private Future<JsonObject> measured(RequestRoute route, ChatCommand command, Future<Void> cancel, long started,
                                      Future<JsonObject> run) {
    return run.andThen(done -> telemetry.request(route, Telemetry.requestOutcome(done, cancel),
      System.currentTimeMillis() - started, command.requestId(), command.stream()));
  }

  /** Teaches the Auto Router whether this route worked for this kind of prompt (errors in the stream count). */
  private Future<JsonObject> recorded(Route route, ChatCommand command, Future<JsonObject> run) {
    JsonArray messages = command.body().getJsonArray("messages");
    Tier tier = AutoRouter.tier(AutoRouter.latestUserText(messages));
    return run.andThen(done -> outcomes.record(route.wire,
      tier, done.succeeded() && !done.result().getBoolean("error", false)));
  }

  private enum Route {
    FUSION(OutcomeStore.FUSION), PASS_THROUGH(OutcomeStore.PASS_THROUGH);

    private final String wire;

    Route(String wire) {
      this.wire = wire;
    }
  }
}
