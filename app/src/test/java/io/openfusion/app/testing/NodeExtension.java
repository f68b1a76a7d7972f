package io.openfusion.app.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.NodeTracing;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What an end-to-end test class talks to, started once per class: an upstream fake, the class's nodes on it
 * (standalone, or together as one in-JVM cluster) and a client for each node's api. Before each test the fake is
 * reset and given the class's standing stubs; after the class everything is closed last-started first, also when
 * start-up failed half-way. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
 *   .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m"))
 *   .namedEvents()
 *   .build();
 *
 * @Test
 * void fusedAnswer(WireMockServer upstream, Client client) { ... }
 * }</pre>
 *
 * Test and lifecycle methods get the upstream fake, the first {@link Node}, its {@link Client} and that client's
 * {@link WebClient} as parameters; static helpers ask the extension. A node {@linkplain #start started} or a resource
 * {@linkplain #onClose registered} during a test is closed after that test; from a {@code @BeforeAll} method, with the
 * class. Test methods of one class run one at a time (the project runs no tests in parallel).
 *
 * @param <U> the upstream fake
 */
public final class NodeExtension<U>
  implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  /** How long the nodes of a cluster may take to see each other. */
  private static final long CLUSTER_READY_MS = 30_000;

  /** Stops an upstream fake. */
  @FunctionalInterface
  public interface Stop<U> {
    void stop(U upstream) throws Exception;
  }

  private final Supplier<U> startUpstream;
  private final Stop<U> stopUpstream;
  private final Consumer<U> reset;
  private final Consumer<U> stubs;
  private final Map<String, Function<U, OpenFusionConfig>> recipes;
  private final int clusterSize;
  private final String clusterPrefix;
  private final int clusterFirstPort;
  private final boolean namedEvents;
  private final int maxConnections;

  private U upstream;
  private final Map<String, RunningNode> classNodes = new LinkedHashMap<>();
  private Teardown classScope;
  private Teardown testScope;

  private NodeExtension(Builder<U> builder) {
    startUpstream = builder.startUpstream;
    stopUpstream = builder.stopUpstream;
    reset = builder.reset;
    stubs = builder.stubs;
    recipes = new LinkedHashMap<>(builder.recipes);
    clusterSize = builder.clusterSize;
    clusterPrefix = builder.clusterPrefix;
    clusterFirstPort = builder.clusterFirstPort;
    namedEvents = builder.namedEvents;
    maxConnections = builder.maxConnections;
  }

  /** WireMock on a free loopback port, reset ({@code resetAll}) before each test. */
  public static Builder<WireMockServer> wireMock() {
    return new Builder<>(Upstreams::start, WireMockServer::stop).reset(WireMockServer::resetAll);
  }

  /** The simulated demo provider; its counters run on for the whole class. */
  public static Builder<DemoUpstream> demo(DemoOptions options) {
    return new Builder<>(() -> DemoUpstream.start(options), DemoUpstream::stop);
  }

  /** A hand-written HTTP fake whose requests {@code handler} answers (given the fake's Vert.x); not reset between tests. */
  public static Builder<HttpUpstream> http(Function<Vertx, Handler<HttpServerRequest>> handler) {
    return new Builder<>(() -> HttpUpstream.start(handler), HttpUpstream::stop);
  }

  /** Any other upstream fake; it is not reset between tests unless {@link Builder#reset} says how. */
  public static <U> Builder<U> upstream(Supplier<U> start, Stop<U> stop) {
    return new Builder<>(start, stop);
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  @Override
  public void beforeAll(ExtensionContext context) {
    classScope = new Teardown();
    try {
      U started = startUpstream.get();
      upstream = started;
      classScope.add("the upstream fake", () -> stopUpstream.stop(started));
      stubs.accept(started);
      if (clusterSize > 0) {
        startCluster(recipes.values().iterator().next().apply(started));
      } else {
        recipes.forEach((name, recipe) -> classNodes.put(name, start(TestNodes.standalone(recipe.apply(started)))));
      }
    } catch (RuntimeException | Error failure) {
      Teardown halfStarted = forgetClass();
      try {
        halfStarted.closeAll();
      } catch (AssertionError closing) {
        failure.addSuppressed(closing);
      }
      throw failure;
    }
  }

  private void startCluster(OpenFusionConfig config) {
    ClusterSettings cluster = InJvmCluster.loopback(clusterFirstPort);
    for (int i = 0; i < clusterSize; i++) {
      String name = clusterPrefix + i;
      classNodes.put(name, start(TestNodes.clustered(config, cluster, name)));
    }
    InJvmCluster.awaitFormed(classNodes.values().stream().map(RunningNode::node).toList(), CLUSTER_READY_MS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    testScope = new Teardown();
    if (reset != null) {
      reset.accept(upstream);
      stubs.accept(upstream);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Teardown started = testScope;
    testScope = null;
    if (started != null) {
      started.closeAll();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Teardown started = forgetClass();
    if (started != null) {
      started.closeAll();
    }
  }

  private Teardown forgetClass() {
    Teardown started = classScope;
    classScope = null;
    classNodes.clear();
    upstream = null;
    return started;
  }

  // ------------------------------------------------------------------------------------------------ what it started

  public U upstream() {
    requireStarted();
    return upstream;
  }

  /** The class's first node. */
  public Node node() {
    return first().node();
  }

  /** The class's node started {@code index}-th (0 first), e.g. a member of its cluster. */
  public Node node(int index) {
    return byIndex(index).node();
  }

  /** The client of the class's first node. */
  public Client client() {
    return first().client();
  }

  public Client client(int index) {
    return byIndex(index).client();
  }

  public Client client(String name) {
    requireStarted();
    RunningNode running = classNodes.get(name);
    if (running == null) {
      throw new IllegalArgumentException("no node named '" + name + "'; there are " + classNodes.keySet());
    }
    return running.client();
  }

  private RunningNode first() {
    requireStarted();
    if (classNodes.isEmpty()) {
      throw new IllegalStateException("this extension starts no node for the class; give it a recipe with node(...)");
    }
    return classNodes.values().iterator().next();
  }

  private RunningNode byIndex(int index) {
    requireStarted();
    return new ArrayList<>(classNodes.values()).get(index);
  }

  /** The HTTP port of the class's first node. */
  public int port() {
    return node().httpPort();
  }

  /** Starts a standalone node running every role on {@code config}; it stops after the test (or the class). */
  public RunningNode start(OpenFusionConfig config) {
    return start(TestNodes.standalone(config));
  }

  /** Starts a node exactly as {@code options} say (roles, cluster); it stops after the test (or the class). */
  public RunningNode start(NodeOptions options) {
    return started(options, Node.start(options));
  }

  /** As {@link #start(NodeOptions)}, with the node's traces going to {@code tracing}. */
  public RunningNode start(NodeOptions options, NodeTracing tracing) {
    return started(options, Node.start(options, tracing));
  }

  private RunningNode started(NodeOptions options, Future<Node> starting) {
    Teardown scope = scope();
    String what = "node " + options.metricsRegistry();
    Node node = TestNodes.await(starting, "starting " + what);
    RunningNode running = new RunningNode(node);
    scope.add(what, () -> TestNodes.await(running.stop(), "stopping " + what));
    if (node.httpPort() > 0) {
      Client client = running.attach(Client.create(node.httpPort(), namedEvents, maxConnections));
      scope.add("the client of " + what, client::close);
    }
    return running;
  }

  /** Closes {@code what} after the test (or, from a {@code @BeforeAll} method, the class), before what started earlier. */
  public void onClose(String what, Teardown.Step close) {
    scope().add(what, close);
  }

  private Teardown scope() {
    Teardown scope = testScope != null ? testScope : classScope;
    if (scope == null) {
      throw new IllegalStateException("start nodes from a test or a lifecycle method of the class the extension is on");
    }
    return scope;
  }

  private void requireStarted() {
    if (classScope == null) {
      throw new IllegalStateException("the extension has not started: register it on a static field with @RegisterExtension");
    }
  }

  // ------------------------------------------------------------------------------------------------ parameters

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Node.class || type == Client.class || type == WebClient.class
      || (upstream != null && type != Object.class && type.isInstance(upstream));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == Node.class) {
      return node();
    }
    if (type == Client.class) {
      return client();
    }
    if (type == WebClient.class) {
      return client().web();
    }
    return upstream();
  }

  // ------------------------------------------------------------------------------------------------ builder

  /** What the extension starts. Without a {@code node(...)} it starts only the upstream fake. */
  public static final class Builder<U> {

    private final Supplier<U> startUpstream;
    private final Stop<U> stopUpstream;
    private Consumer<U> reset;
    private Consumer<U> stubs = upstream -> { };
    private final Map<String, Function<U, OpenFusionConfig>> recipes = new LinkedHashMap<>();
    private int clusterSize;
    private String clusterPrefix;
    private int clusterFirstPort;
    private boolean namedEvents;
    private int maxConnections;

    private Builder(Supplier<U> startUpstream, Stop<U> stopUpstream) {
      this.startUpstream = startUpstream;
      this.stopUpstream = stopUpstream;
    }

    /** The class's node, on the recipe {@code recipe} makes of the upstream fake. */
    public Builder<U> node(Function<U, OpenFusionConfig> recipe) {
      return node("node", recipe);
    }

    /** One more node for the class, found again by {@code name}; nodes start in the order they are named here. */
    public Builder<U> node(String name, Function<U, OpenFusionConfig> recipe) {
      if (recipes.putIfAbsent(name, recipe) != null) {
        throw new IllegalArgumentException("two nodes named '" + name + "'");
      }
      return this;
    }

    /**
     * Runs the class's one recipe on {@code size} clustered nodes named {@code namePrefix + i}, over Hazelcast on
     * loopback from a random base port in {@code firstPort .. firstPort + 900}, and waits until each sees all.
     */
    public Builder<U> cluster(int size, String namePrefix, int firstPort) {
      clusterSize = size;
      clusterPrefix = namePrefix;
      clusterFirstPort = firstPort;
      return this;
    }

    /** The clients opt in to openfusion's named SSE events, as the playground and the CLI do. */
    public Builder<U> namedEvents() {
      namedEvents = true;
      return this;
    }

    /** HTTP/1 connections each client may open to its node at once (a burst of concurrent requests). */
    public Builder<U> maxConnections(int connections) {
      maxConnections = connections;
      return this;
    }

    /** Stubs every test starts with: given at start and again after each reset. */
    public Builder<U> stubs(Consumer<U> standing) {
      stubs = standing;
      return this;
    }

    /** How the upstream fake forgets one test before the next. */
    public Builder<U> reset(Consumer<U> forget) {
      reset = forget;
      return this;
    }

    /** The upstream fake keeps its stubs and what it saw for the whole class (tests that read the class's traffic). */
    public Builder<U> noReset() {
      reset = null;
      return this;
    }

    public NodeExtension<U> build() {
      if (clusterSize > 0 && recipes.size() != 1) {
        throw new IllegalStateException("a cluster runs exactly one recipe; got " + recipes.size());
      }
      return new NodeExtension<>(this);
    }
  }
}
