package io.openfusion.router;

import io.openfusion.router.budget.TokenGate;
import io.openfusion.shared.dispatch.MemberDispatch;
import io.openfusion.shared.dispatch.OriginWatch;
import io.openfusion.router.estimate.EstimateRequests;
import io.openfusion.router.estimate.Estimator;
import io.openfusion.router.estimate.WorstCase;
import io.openfusion.router.fusion.Fusion;
import io.openfusion.router.passthrough.PassThrough;
import io.openfusion.autorouter.AutoRouter;
import io.openfusion.autorouter.OutcomeStore;
import io.openfusion.router.stream.ClientStream;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.ChatReply;
import io.openfusion.shared.bus.SameLoop;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.calls.UpstreamSettings;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.usage.UsageSink;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.limits.TokenPolicy;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.tracing.RunSpan;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The router role: consumes chat requests, estimates and the Auto Router's outcome queries, and hands each chat
 * request to the {@link RoutePlanner}, which decides how it is answered and conducts it. A non-streamed request gets one
 * {@link ChatReply}; a streamed one is answered frame by frame through its {@link ClientStream}, the one writer of the
 * client's stream.
 */
public final class RouterVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final Recipes recipes;
  private final RouterShared shared;
  private final Telemetry telemetry;
  private final UsageSink usage;
  private final CancelRegistry cancels = new CancelRegistry();
  /** Chat requests this instance is answering, so a node stopping can wait for them. */
  private final AtomicInteger running = new AtomicInteger();
  private UpstreamClient client;
  private MemberDispatch members;
  private OriginWatch origins;
  /** The event-loop thread this instance runs on, where it also takes chats from an api instance on the same thread. */
  private String loop;
  private RoutePlanner planner;
  /** One planner per named recipe, each reading its own config; the node's own config is {@link #planner}. */
  private final Map<String, RoutePlanner> recipePlanners = new HashMap<>();
  private EstimateRequests estimates;

  /** @param shared the node's router state, shared by its router instances */
  public RouterVerticle(OpenFusionConfig config, RouterShared shared) {
    this(config, shared, Telemetry.withoutMetrics());
  }

  /** @param telemetry the node's metrics and logs, shared by its router instances */
  public RouterVerticle(OpenFusionConfig config, RouterShared shared, Telemetry telemetry) {
    this(Recipes.of(config), shared, telemetry, UsageSink.NONE);
  }

  /**
   * @param recipes the node's config and the named recipes an embedding host registered
   * @param usage   where every request's usage goes once it ended, on success and on failure
   */
  public RouterVerticle(Recipes recipes, RouterShared shared, Telemetry telemetry, UsageSink usage) {
    this.config = recipes.base();
    this.recipes = recipes;
    this.shared = shared;
    this.telemetry = telemetry;
    this.usage = usage == null ? UsageSink.NONE : usage;
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    ClusterView cluster = ClusterView.of(vertx);
    members = new MemberDispatch(vertx, cluster);
    origins = new OriginWatch(vertx, cluster);
    origins.start();
    OutcomeStore outcomes = shared.outcomes();
    RuntimeKeys keys = new RuntimeKeys(vertx);
    planner = planner(config, null, outcomes, keys);
    recipes.named().forEach((name, recipe) -> recipePlanners.put(name, planner(recipe, name, outcomes, keys)));
    estimates = new EstimateRequests(config, new Estimator(config, shared.pricing()));
    MessageConsumer<JsonObject> chats = vertx.eventBus().consumer(Addresses.ROUTER_CHAT, this::chat);
    loop = Thread.currentThread().getName();
    MessageConsumer<JsonObject> sameLoopChats = SameLoop.of(vertx, Addresses.ROUTER_CHAT).consume(vertx, this::chat);
    MessageConsumer<JsonObject> learned = vertx.eventBus().consumer(Addresses.ROUTER_OUTCOMES,
      message -> reply(message, outcomes.snapshotAsync()));
    MessageConsumer<JsonObject> estimated = vertx.eventBus().consumer(Addresses.ROUTER_ESTIMATE,
      message -> reply(message, estimates.estimate(message.body())));
    MessageConsumer<JsonObject> cancellations = cancels.listen(vertx.eventBus());
    // where the api's credits for this instance's client streams and the judge's text parts come
    StreamPost streams = StreamPost.of(vertx);
    return Future.join(List.of(members.start(), chats.completion(), sameLoopChats.completion(), learned.completion(),
      estimated.completion(), cancellations.completion(), streams.ready()));
  }

  @Override
  public Future<?> stop() {
    if (loop != null) {
      SameLoop.of(vertx, Addresses.ROUTER_CHAT).leave(loop);
    }
    if (origins != null) {
      origins.stop();
    }
    Future<Void> dispatch = members == null ? Future.succeededFuture() : members.stop();
    return client == null ? dispatch : Future.join(dispatch, client.close());
  }

  /** Chat requests this instance is answering now (from their arrival until their answer is delivered or fails). */
  public int runningRequests() {
    return running.get();
  }

  /** Cancel signals this instance holds now. */
  public int openCancels() {
    return cancels.openCount();
  }

  /** Member calls this instance waits on now. */
  public int trackedMemberCalls() {
    return members == null ? 0 : members.tracked();
  }

  /**
   * A planner for one recipe. Limits and budgets are the node's whatever the recipe: a caller's tokens count against
   * one ledger, whichever recipe they ran.
   */
  private RoutePlanner planner(OpenFusionConfig recipe, String name, OutcomeStore outcomes, RuntimeKeys keys) {
    return new RoutePlanner(vertx, recipe, new AutoRouter(recipe, client, outcomes, telemetry), outcomes,
      new Fusion(vertx, recipe, members, client, shared.responseCache(), telemetry, name),
      new PassThrough(vertx, recipe, client, telemetry),
      new TokenGate(new TokenPolicy(config.limits()), shared.ledger(), new WorstCase(recipe, shared.pricing())),
      keys, client, telemetry);
  }

  private void chat(Message<JsonObject> message) {
    ChatCommand command;
    try {
      command = ChatCommand.fromJson(message.body());
    } catch (RuntimeException malformed) {
      message.fail(400, "malformed chat command: " + malformed.getMessage());
      return;
    }
    if (command.stream() && !StreamSender.opensStream(message)) {
      message.fail(400, "malformed chat command: a streamed request must name its stream receiver; every node must "
        + "run the same build");
      return;
    }
    CancelRegistry.Signal cancel = cancels.open(command.requestId());
    Runnable untrack = origins.track(command);
    running.incrementAndGet();
    // a streamed request is answered frame by frame through its one writer; a buffered one with one reply
    ClientStream stream = command.stream()
      ? new ClientStream(vertx, message, command.deadline()) : null;
    RequestTrail trail = new RequestTrail();
    // a child of the api's span the request names; NONE when the node has no traces
    RunSpan span = telemetry.run(message.headers(), command);
    plannerFor(command)
      .compose(chosen -> chosen.answer(command, stream, cancel.future(), System.currentTimeMillis(), trail, span))
      .onComplete(done -> {
        cancel.close();
        untrack.run();
        running.decrementAndGet();
        if (usage != UsageSink.NONE) {
          // only an embedding host listens; a node started from the command line builds no report per request
          usage.report(UsageReports.of(command, trail, done, cancel.future()));
        }
        if (span.recording()) {
          ended(span, done, cancel.future());
        }
      })
      .onSuccess(result -> {
        if (stream == null) {
          message.reply(new ChatReply(result.body()).toJson());
        }
      })
      .onFailure(failure -> {
        ApiError error = ApiError.from(failure, "router");
        if (stream == null) {
          error.failReply(message);
        } else {
          stream.fail(error);
        }
      });
  }

  /** The run's span ends with the run: a stream once the client has its last byte. */
  private static void ended(RunSpan span, AsyncResult<RunResult> done, Future<Void> cancel) {
    RunResult result = done.succeeded() ? done.result() : null;
    String error = done.failed() ? ApiError.from(done.cause(), "router").code() : null;
    span.end(RunResult.outcome(done, cancel).wire(), result == null ? null : result.usage(), error);
  }

  private Future<RoutePlanner> plannerFor(ChatCommand command) {
    if (command.recipe() == null) {
      return Future.succeededFuture(planner);
    }
    RoutePlanner chosen = recipePlanners.get(command.recipe());
    return chosen != null ? Future.succeededFuture(chosen) : Future.failedFuture(ApiError.of(ErrorCode.RECIPE_UNAVAILABLE,
      "The recipe '" + command.recipe() + "' chosen for this caller is not registered on this node; every node must "
        + "register the same recipes"));
  }

  private static void reply(Message<JsonObject> message, Future<JsonObject> result) {
    result.onSuccess(message::reply).onFailure(failure -> ApiError.from(failure, "router").failReply(message));
  }
}
