package io.openfusion.app.cli;

import io.openfusion.app.node.DemoRecipe;
import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.ConfigException;
import io.openfusion.shared.config.loading.ConfigLoader;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.loading.Credentials;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The fusion engine in this process: every verticle of a node (api, router, panel, judge) deployed on a
 * private Vert.x instance, with the api bound to a random loopback port and guarded by a random per-session
 * gateway key, so other local users cannot borrow the upstream key while a chat is open. A recipe change
 * restarts the node with the new config.
 */
final class LocalBackend extends Backend {

  private final ConfigContext ctx;
  private final OpenFusionConfig base;
  private final boolean demo;
  private final String token;
  private String sessionKey;
  private Vertx nodeVertx;
  private OpenFusionConfig current;

  private LocalBackend(Vertx vertx, FusionClient client, RecipeState recipe, ConfigContext ctx, OpenFusionConfig base,
                       boolean demo, String token) {
    super(vertx, client, recipe);
    this.ctx = ctx;
    this.base = base;
    this.demo = demo;
    this.token = token;
  }

  static LocalBackend open(CliIo io, String configPath, boolean demo, RecipeState recipe) {
    ConfigContext ctx = io.configContext(configPath);
    Vertx vertx = Vertx.vertx();
    LocalBackend backend = null;
    try {
      OpenFusionConfig loaded;
      try {
        loaded = ConfigLoader.load(vertx, ctx).await();
      } catch (ConfigException e) {
        throw CliException.error("could not load configuration.\n  " + e.getMessage());
      }
      if (demo) {
        DemoProvider provider = DemoProvider.start(vertx, DemoOptions.interactive()).await();
        loaded = DemoRecipe.apply(loaded, provider.baseUrl());
      }
      String token = randomToken();
      backend = new LocalBackend(vertx, new FusionClient(vertx, "http://127.0.0.1:0/v1", token), recipe, ctx, loaded,
        demo, token);
      backend.apply(recipe);
      return backend;
    } catch (RuntimeException e) {
      if (backend != null) {
        backend.close();
      } else {
        vertx.close();
      }
      throw e;
    }
  }

  @Override
  boolean inProcess() {
    return true;
  }

  @Override
  void apply(RecipeState next) {
    OpenFusionConfig derived = derive(next);
    Vertx fresh = Vertx.vertx();
    Node node;
    try {
      node = Node.deploy(fresh, new NodeOptions(derived, Role.all(), null, 1, null)).await();
    } catch (RuntimeException e) {
      fresh.close();
      throw CliException.error("could not start the engine: " + e.getMessage());
    }
    Vertx old = nodeVertx;
    nodeVertx = fresh;
    current = derived;
    recipe = next.copy();
    client.retarget("http://127.0.0.1:" + node.httpPort() + "/v1");
    if (old != null) {
      old.close();
    }
  }

  /** The loaded config with the session's recipe applied, listening privately on loopback. */
  private OpenFusionConfig derive(RecipeState state) {
    OpenFusionConfig config = base;
    String key = openRouterKey();
    if (state.preset() != null) {
      if (demo) {
        throw CliException.usage("presets run OpenRouter models; they are not available with --demo");
      }
      String preset = state.preset();
      String k = key == null ? "" : key;
      UpstreamConfig judge = Presets.judge(preset, k).upstream();
      config = config.toBuilder()
        .preset(preset)
        .strategy(Strategy.PANEL)
        .panel(Presets.panel(preset, k))
        .judge(config.judge() == null ? JudgeConfig.of(judge) : config.judge().withUpstream(judge))
        .passThrough(Presets.passThrough(preset, k))
        .tools(config.tools().withWeb(true, true))
        .build();
    }
    if (state.strategy() != null) {
      config = config.withStrategy(state.strategy());
    }
    if (state.aggregator() != null) {
      config = config.withAggregator(state.aggregator());
    }
    if (state.maxTokens() != null) {
      int n = state.maxTokens();
      config = config.withCostControls(new CostControls(n, n, n));
    }
    if (key != null) {
      boolean replace = sessionKey != null;
      config = config.withUpstreams(u -> onOpenRouter(u) && (replace || !u.hasKey()) ? u.withApiKey(key) : u);
    }
    return config.withServer(new ServerConfig("127.0.0.1", 0, config.server().maxBodyBytes()))
      .withGatewayKeys(List.of(token));
  }

  /** The key typed in this session, else {@code OPENROUTER_API_KEY}, else the saved key. */
  private String openRouterKey() {
    if (sessionKey != null) {
      return sessionKey;
    }
    String env = ctx.envValue("OPENROUTER_API_KEY");
    return env != null ? env : Credentials.load(ctx).orElse(null);
  }

  private static boolean onOpenRouter(UpstreamConfig upstream) {
    return upstream.baseUrl() != null && upstream.baseUrl().startsWith(Presets.OPENROUTER_BASE_URL);
  }

  @Override
  RecipeView describe() {
    OpenFusionConfig c = current;
    List<String> panel = new ArrayList<>();
    if (c.strategy() == Strategy.SELF_FUSION && !c.panel().isEmpty()) {
      panel.add(c.panel().get(0).model() + " ×" + c.selfFusion().n());
    } else {
      c.panel().forEach(member -> panel.add(member.model()));
    }
    String where = demo ? "in-process, simulated demo models" : "in-process, " + describeSource(c.source());
    return new RecipeView(c.preset(), c.strategy().wire(), c.aggregator().wire(), panel,
      c.judge() == null ? null : c.judge().upstream().model(), recipe.maxTokens(), c.fusionModelName(), where);
  }

  private static String describeSource(String source) {
    return OpenFusionConfig.ZERO_CONFIG_SOURCE.equals(source) ? "zero-config" : source;
  }

  @Override
  String missingKey() {
    OpenFusionConfig c = current;
    List<UpstreamConfig> used = new ArrayList<>(c.panel());
    if (c.judge() != null) {
      used.add(c.judge().upstream());
    }
    if (c.passThrough() != null) {
      used.add(c.passThrough());
    }
    for (UpstreamConfig upstream : used) {
      if (upstream.missingKey()) {
        return upstream.model() + " on " + host(upstream.baseUrl());
      }
    }
    return null;
  }

  private static String host(String url) {
    try {
      String host = URI.create(url).getHost();
      return host == null ? url : host;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  @Override
  void useKey(String key) {
    String previous = sessionKey;
    sessionKey = key;
    try {
      apply(recipe);
    } catch (RuntimeException e) {
      sessionKey = previous;
      throw e;
    }
  }

  @Override
  JsonObject override() {
    return null;
  }

  @Override
  protected void closeEngine() {
    if (nodeVertx != null) {
      try {
        nodeVertx.close().await();
      } catch (RuntimeException e) {
        // closing anyway
      }
      nodeVertx = null;
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return "ofcli-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
