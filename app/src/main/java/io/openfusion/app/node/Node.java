package io.openfusion.app.node;

import io.netty.util.concurrent.EventExecutor;
import io.openfusion.api.ApiOptions;
import io.openfusion.api.ApiVerticle;
import io.openfusion.api.http.BodyBudget;
import io.openfusion.logging.BusRequestIds;
import io.openfusion.judge.JudgeVerticle;
import io.openfusion.panel.PanelVerticle;
import io.openfusion.router.RouterVerticle;
import io.openfusion.router.RouterShared;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.limits.RateLimiters;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.tracing.Tracing;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One openfusion process: a Vert.x instance (clustered or not) and the verticles of its roles. The
 * verticles only talk over the event bus, so the same code runs all-in-one or spread over a cluster.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final NodeOptions options;
  private final NodeInstances instances;

  /** The api deployment, undeployed first on close so in-flight streams end cleanly while workers still run. */
  private final String apiDeployment;
  /** Closed last, so the spans of the requests that ended while closing are still exported. */
  private final NodeTracing tracing;

  private Node(Vertx vertx, NodeOptions options, NodeInstances instances, String apiDeployment, NodeTracing tracing) {
    this.vertx = vertx;
    this.options = options;
    this.instances = instances;
    this.apiDeployment = apiDeployment;
    this.tracing = tracing;
  }

  /**
   * Builds the Vert.x instance (joining the cluster if asked) and deploys the node's roles, tracing as the
   * {@code OTEL_*} environment says ({@link NodeTracing#fromEnvironment}: off unless it asks for traces).
   */
  public static Future<Node> start(NodeOptions options) {
    NodeTracing tracing;
    try {
      tracing = NodeTracing.fromEnvironment();
    } catch (RuntimeException misconfigured) {
      // the SDK refuses settings it cannot use (an unknown exporter, a bad sampler argument): say which, do not start
      return Future.failedFuture(new IllegalStateException("OpenTelemetry settings (OTEL_*): "
        + misconfigured.getMessage(), misconfigured));
    }
    return start(options, tracing);
  }

  /** As {@link #start(NodeOptions)}, with the given traces; the node closes them with itself. */
  public static Future<Node> start(NodeOptions options, NodeTracing tracing) {
    // Netty's native epoll transport where the jar's native library loads (x86-64 and ARM64 Linux), else NIO
    VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
    vertxOptions.setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setRegistryName(options.metricsRegistry())
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    // our own registry, so the JVM and process meters come out in base units (see NodeMetrics)
    VertxBuilder builder = tracing.applyTo(Vertx.builder().withMetrics(new MicrometerMetricsFactory(NodeMetrics.registry())));
    if (!options.clustered()) {
      return deployOrClose(builder.with(vertxOptions).build(), options, tracing);
    }
    String host = options.cluster().host();
    vertxOptions.setEventBusOptions(new EventBusOptions().setHost(host).setClusterPublicHost(host).setPort(0));
    return builder.with(vertxOptions)
      .withClusterManager(HazelcastSetup.clusterManager(options.cluster()))
      .buildClustered()
      .recover(failure -> tracing.close().transform(closed -> Future.failedFuture(failure)))
      .compose(vertx -> deployOrClose(vertx, options, tracing));
  }

  private static Future<Node> deployOrClose(Vertx vertx, NodeOptions options, NodeTracing tracing) {
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("event loops on Netty's native epoll transport");
    } else {
      LOG.info("event loops on Java NIO: the native epoll transport did not load ({})",
        String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    return deploy(vertx, options, tracing).recover(failure -> vertx.close().eventually(tracing::close)
      .transform(closed -> Future.failedFuture(failure)));
  }

  /** Deploys the node's roles into an existing Vert.x instance, without traces. */
  public static Future<Node> deploy(Vertx vertx, NodeOptions options) {
    return deploy(vertx, options, NodeTracing.off());
  }

  /**
   * Deploys the node's roles into an existing Vert.x instance with the given traces (the instance's own tracer, if
   * any, is the caller's business: {@link #start(NodeOptions, NodeTracing)} installs it).
   */
  public static Future<Node> deploy(Vertx vertx, NodeOptions options, NodeTracing tracing) {
    OpenFusionConfig config = options.config();
    BusRequestIds.install(vertx, tracing.enabled());
    List<Future<String>> deployments = new ArrayList<>();
    DeploymentOptions deployment = new DeploymentOptions().setInstances(options.instances());
    // one per node, shared by every verticle instance: meters live in the node's registry (none when Vert.x runs
    // without metrics, e.g. an embedding Vert.x), logs are written either way
    Tracing traces = tracing.tracing(ClusterView.of(vertx).nodeId(), config.telemetry().captureContent());
    Telemetry telemetry = Telemetry.forRegistry(options.metricsRegistry(), ClusterView.of(vertx).nodeId())
      .withTracing(traces);
    // workers first, so the api never accepts a request nobody can serve
    // the workers caps are per node: one set of slots shared by every instance on it
    ClusterView cluster = ClusterView.of(vertx);
    WorkerSlots slots = WorkerSlots.create(config.workers(), options.metricsRegistry(), cluster.nodeId());
    NodeInstances instances = new NodeInstances(slots);
    if (options.roles().contains(Role.PANEL)) {
      deployments.add(vertx.deployVerticle(
        () -> instances.panel(new PanelVerticle(config, telemetry, slots.panel())), deployment));
    }
    if (options.roles().contains(Role.JUDGE)) {
      deployments.add(vertx.deployVerticle(
        () -> instances.judge(new JudgeVerticle(config, telemetry, slots.judge())), deployment));
    }
    if (options.roles().contains(Role.ROUTER)) {
      RouterShared shared = RouterShared.create(vertx, config);
      deployments.add(vertx.deployVerticle(
        () -> instances.router(new RouterVerticle(config, shared, telemetry)),
        routerDeployment(options, eventLoops(vertx))));
    }
    BodyBudget bodies = BodyBudget.forHeap(config.server().maxBodyBytes());
    instances.registerGauges(options.metricsRegistry(), cluster.nodeId(), vertx, bodies);
    List<String> roles = options.roles().stream().map(Role::wire).toList();
    Future<?> workers = Future.join(deployments).compose(done -> cluster.announce(roles));
    if (!options.roles().contains(Role.API)) {
      return workers.map(done -> new Node(vertx, options, instances, null, tracing));
    }
    // admission state is per node: one rate limiter (cluster-wide when clustered), one in-flight count and one
    // budget for large request bodies
    ApiOptions apiOptions = new ApiOptions(options.metricsRegistry(), roles)
      .withAdmission(RateLimiters.create(vertx, config), new AtomicInteger(), bodies)
      .withCluster(cluster)
      .withTracing(traces);
    Supplier<ApiVerticle> api = () -> instances.api(new ApiVerticle(config, apiOptions));
    return workers
      .compose(done -> vertx.deployVerticle(api, deployment))
      .map(id -> new Node(vertx, options, instances, id, tracing));
  }

  /**
   * With the api on the same node, a router instance on every event loop (consecutive deployments take consecutive
   * loops, so as many instances as loops cover them all): whichever loop an api instance runs on, a router there takes
   * its chats ({@code SameLoop}) and a stream's parts and credits never change threads.
   */
  static DeploymentOptions routerDeployment(NodeOptions options, int eventLoops) {
    int instances = options.instances();
    if (options.roles().contains(Role.API)) {
      instances = Math.max(instances, eventLoops);
    }
    return new DeploymentOptions().setInstances(instances);
  }

  /** The event loops of {@code vertx}, however it was configured. */
  static int eventLoops(Vertx vertx) {
    int loops = 0;
    for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loops++;
    }
    return loops;
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeOptions options() {
    return options;
  }

  /** Whether the node makes and exports traces (the {@code OTEL_*} environment asked for them). */
  public boolean traced() {
    return tracing.enabled();
  }

  /** The HTTP port the api listens on, or -1 on a node without the api role. */
  public int httpPort() {
    return instances.httpPort();
  }

  /**
   * Stops the node without losing a request ({@link NodeStop}): other nodes stop sending it work and its api stops
   * taking requests, what it holds finishes within {@code server.shutdown_grace_seconds}, then it leaves.
   */
  public Future<Void> close() {
    // the traces last, so the spans of the requests that ended while stopping are still exported
    Promise<Void> closed = Promise.promise();
    NodeStop.stop(vertx, options.roles(), apiDeployment, options.config().server().shutdownGraceMs(),
        instances::workInFlight)
      .onComplete(stopped -> tracing.close().onComplete(flushed -> closed.handle(stopped)));
    return closed.future();
  }
}
