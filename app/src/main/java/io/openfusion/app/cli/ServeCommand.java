package io.openfusion.app.cli;

import io.openfusion.logging.Logs;
import io.openfusion.app.node.ConfigFileCheck;
import io.openfusion.app.node.DemoRecipe;
import io.openfusion.app.node.HazelcastSetup;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.ConfigException;
import io.openfusion.shared.config.loading.ConfigLoader;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code openfusion serve}: runs the server (all roles by default) until the process is stopped. */
@Command(name = "serve", aliases = "web", mixinStandardHelpOptions = true,
  description = "Run the OpenAI-compatible fusion server (API, playground, panel and judge).")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--host", description = "Interface to listen on (default: OPENFUSION_HOST, server.host or 127.0.0.1; "
    + "0.0.0.0 for every interface).")
  String host;

  @Option(names = "--port", description = "Port to listen on (default: server.port, OPENFUSION_PORT or 8000; 0: any free port, named at start).")
  Integer port;

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: OPENFUSION_CONFIG, then ./openfusion.yaml, then zero-config).")
  String config;

  @Option(names = "--demo", description = "Answer from an embedded simulated provider: no key, no network.")
  boolean demo;

  @Option(names = "--cluster", description = "Join a Hazelcast cluster (settings from the config's cluster block and the flags below).")
  boolean cluster;

  @Option(names = "--roles", defaultValue = "api,router,panel,judge", description = "Roles this node runs (default: ${DEFAULT-VALUE}).")
  String roles;

  @Option(names = "--cluster-name", description = "Cluster name: nodes only join clusters of the same name.")
  String clusterName;

  @Option(names = "--cluster-members", description = "Comma-separated addresses of cluster members to join (TCP-IP).")
  String clusterMembers;

  @Option(names = "--cluster-port", description = "First Hazelcast port to try.")
  Integer clusterPort;

  @Option(names = "--cluster-host", description = "Address this node binds for cluster traffic.")
  String clusterHost;

  @Option(names = "--instances", description = "Instances of each verticle (default: cores, at most 4); with the api "
    + "on the node, the router also runs one on every event loop.")
  Integer instances;

  @Option(names = "--no-open", description = "Do not open the playground in a browser (also OPENFUSION_NO_OPEN=1). "
    + "It opens only when stdout is a terminal and a display is available.")
  boolean noOpen;

  @Override
  public Integer call() {
    Set<Role> roleSet;
    try {
      roleSet = Role.parse(roles);
    } catch (IllegalArgumentException e) {
      System.err.println("openfusion: --roles: " + e.getMessage());
      return 2;
    }
    Vertx bootstrap = Vertx.vertx();
    OpenFusionConfig loaded;
    try {
      loaded = ConfigLoader.load(bootstrap, ConfigContext.system(config)).await();
    } catch (ConfigException e) {
      System.err.println("openfusion: could not load configuration.\n  " + e.getMessage());
      return 1;
    } finally {
      bootstrap.close().await();
    }
    ConfigFileCheck.warning(loaded.source()).ifPresent(System.err::println);
    loaded = withListener(loaded);
    if (cluster && clusterMembers != null && loaded.cluster().kubernetes() != null) {
      System.err.println("openfusion: --cluster-members: cannot be combined with cluster.kubernetes in the config "
        + "(members are found through the Kubernetes service)");
      return 2;
    }
    ClusterSettings clusterSettings = cluster ? clusterSettings(loaded.cluster()) : null;
    NodeOptions options = new NodeOptions(loaded, roleSet, clusterSettings,
      instances == null ? NodeOptions.defaultInstances() : Math.max(1, instances), NodeOptions.DEFAULT_REGISTRY);
    return run(options);
  }

  private Integer run(NodeOptions options) {
    Node node;
    String demoUrl = null;
    try {
      if (demo) {
        Vertx demoVertx = Vertx.vertx();
        DemoProvider provider = DemoProvider.start(demoVertx, DemoOptions.interactive()).await();
        demoUrl = provider.baseUrl();
        options = new NodeOptions(DemoRecipe.apply(options.config(), demoUrl), options.roles(), options.cluster(),
          options.instances(), options.metricsRegistry());
      }
      node = Node.start(options).await();
    } catch (RuntimeException e) {
      System.err.println("openfusion: could not start: " + e.getMessage());
      return 1;
    }
    System.err.print(StartupSummary.render(options, node.httpPort(), demoUrl));
    // SIGTERM or Ctrl-C: the node drains and leaves (NodeStop); a stop that hangs past its own bounds is given up
    long stopBoundMs = options.config().server().shutdownGraceMs() + (HazelcastSetup.LEAVE_MAX_WAIT_SECONDS + 10) * 1000L;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close().await(stopBoundMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | RuntimeException e) {
        System.err.println("openfusion: the node did not stop within " + stopBoundMs + " ms; exiting anyway");
      }
      // the lines the shutdown wrote are still queued: write them before the JVM goes
      Logs.stop();
    }, "openfusion-shutdown"));
    openPlayground(options, node.httpPort());
    return 0;
  }

  /** Opens the playground when a person is watching; never fails the server. */
  private void openPlayground(NodeOptions options, int httpPort) {
    if (httpPort <= 0) {
      return;
    }
    try {
      String os = System.getProperty("os.name");
      if (Browser.shouldOpen(Tty.stdout(), noOpen, System.getenv(), os)) {
        String host = options.config().server().host();
        String local = "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        Browser.openLater("http://" + local + ":" + httpPort + "/playground/", os);
      }
    } catch (RuntimeException | LinkageError e) {
      // opening a browser is a convenience
    }
  }

  private OpenFusionConfig withListener(OpenFusionConfig loaded) {
    var server = loaded.server();
    if (host != null) {
      server = server.withHost(host);
    }
    if (port != null) {
      server = server.withPort(port);
    }
    return loaded.withServer(server);
  }

  private ClusterSettings clusterSettings(ClusterSettings configured) {
    String name = clusterName != null ? clusterName : configured.name();
    List<String> members = clusterMembers != null
      ? Arrays.stream(clusterMembers.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
      : configured.members();
    int hzPort = clusterPort != null ? clusterPort : configured.port();
    String bind = clusterHost != null ? clusterHost : configured.host();
    return new ClusterSettings(name, members, hzPort, bind, configured.kubernetes());
  }

  static String randomClusterName() {
    return "openfusion-" + UUID.randomUUID();
  }
}
