package io.openfusion.shared.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The validated recipe: who is on the panel, who judges, and every limit around them.
 *
 * <p>Instances come from the config module's {@code ConfigLoader} / {@code ConfigParser} and are immutable; request
 * overrides and runtime keys produce modified copies with the {@code withX} helpers. The canonical
 * constructor replaces null sections with their defaults so hand-built configs (tests, embedding)
 * are always complete; only {@code preset}, {@code judge} and {@code passThrough} stay nullable.
 *
 * @param preset                {@code quality}, {@code budget} or null
 * @param strategy              how panel answers are produced
 * @param aggregator            how they become one answer
 * @param fusionModelName       the {@code model} value that triggers fusion
 * @param allowRequestOverrides accept the per-request {@code openfusion} object
 * @param allowUiApiKey         accept {@code POST /v1/runtime/api-key}
 * @param exposePanel           emit {@code panel_answer} SSE events
 * @param panel                 the panel members (may be empty for pipeline / pass-through only)
 * @param judge                 the judge, null if none
 * @param passThrough           the single model for non-fused requests, null = panel[0]
 * @param selfFusion            self-fusion settings
 * @param debate                debate settings
 * @param pipeline              pipeline steps
 * @param router                Auto Router settings
 * @param limits                admission limits
 * @param promptCache           add prompt-cache markers ({@code cache.enabled})
 * @param responseCache         response cache settings
 * @param emitAnalysis          emit the judge's analysis ({@code analysis.emit})
 * @param timeouts              time limits
 * @param gatewayKeys           client keys allowed to call the gateway; empty = open
 * @param costControls          output-token ceilings
 * @param tools                 server-side web tools
 * @param server                HTTP listener
 * @param quorum                when the panel counts as done (min answers, straggler cut)
 * @param cluster               Hazelcast cluster settings (always present, used only when clustered)
 * @param workers               per-node caps on concurrent panel and judge calls
 * @param responses             what {@code POST /v1/responses} keeps for {@code previous_response_id}
 * @param telemetry             what the node's traces may record
 * @param source                absolute path of the loaded file, or {@value #ZERO_CONFIG_SOURCE}
 */
public record OpenFusionConfig(
    String preset, Strategy strategy, Aggregator aggregator, String fusionModelName,
    boolean allowRequestOverrides, boolean allowUiApiKey, boolean exposePanel,
    List<UpstreamConfig> panel, JudgeConfig judge, UpstreamConfig passThrough,
    SelfFusionConfig selfFusion, DebateConfig debate, PipelineConfig pipeline, RouterConfig router,
    LimitsConfig limits, boolean promptCache, ResponseCacheConfig responseCache, boolean emitAnalysis,
    TimeoutsConfig timeouts, List<String> gatewayKeys, CostControls costControls, ToolsConfig tools,
    ServerConfig server, ClusterSettings cluster, QuorumConfig quorum, WorkersConfig workers, ResponsesConfig responses,
    TelemetryConfig telemetry, String source) {

  public static final String DEFAULT_FUSION_MODEL_NAME = "openfusion";
  /** {@link #source()} of a config built by {@code ConfigLoader.zeroConfig}. */
  public static final String ZERO_CONFIG_SOURCE = "zero-config";
  /** {@link #source()} of a config built in code without a source. */
  public static final String INLINE_SOURCE = "inline";

  public OpenFusionConfig {
    strategy = strategy == null ? Strategy.SELF_FUSION : strategy;
    aggregator = aggregator == null ? Aggregator.JUDGE : aggregator;
    fusionModelName = fusionModelName == null || fusionModelName.isBlank()
        ? DEFAULT_FUSION_MODEL_NAME : fusionModelName;
    panel = panel == null ? List.of() : List.copyOf(panel);
    selfFusion = selfFusion == null ? SelfFusionConfig.defaults() : selfFusion;
    debate = debate == null ? DebateConfig.defaults() : debate;
    pipeline = pipeline == null ? PipelineConfig.empty() : pipeline;
    router = router == null ? RouterConfig.defaults() : router;
    limits = limits == null ? LimitsConfig.unlimited() : limits;
    responseCache = responseCache == null ? ResponseCacheConfig.defaults() : responseCache;
    timeouts = timeouts == null ? TimeoutsConfig.defaults() : timeouts;
    gatewayKeys = gatewayKeys == null ? List.of() : List.copyOf(gatewayKeys);
    costControls = costControls == null ? CostControls.unlimited() : costControls;
    tools = tools == null ? ToolsConfig.defaults() : tools;
    server = server == null ? ServerConfig.defaults() : server;
    cluster = cluster == null ? ClusterSettings.defaults() : cluster;
    quorum = quorum == null ? QuorumConfig.waitForAll() : quorum;
    workers = workers == null ? WorkersConfig.unlimited() : workers;
    responses = responses == null ? ResponsesConfig.defaults() : responses;
    telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
    source = source == null ? INLINE_SOURCE : source;
  }

  /** A config with every default and an empty panel; start here and use the {@code withX} helpers. */
  public static OpenFusionConfig defaults() {
    return builder().build();
  }

  /** @return a builder holding the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this config's values */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The model for non-fused requests: {@code pass_through} if configured, else the first panel
   * member (without its panel label, which would be misleading for a solo answer).
   *
   * @return the upstream, or null when there is neither a pass-through nor a panel
   */
  public UpstreamConfig passThroughResolved() {
    if (passThrough != null) {
      return passThrough;
    }
    return panel.isEmpty() ? null : panel.get(0).withLabel(null);
  }

  /**
   * @return true if some configured upstream (panel member, judge, pass-through) needs an API key it
   *     does not have ({@link UpstreamConfig#missingKey()}), i.e. a runtime / UI key is needed before
   *     those calls can succeed
   */
  public boolean anyUpstreamKeyMissing() {
    for (UpstreamConfig member : panel) {
      if (member.missingKey()) {
        return true;
      }
    }
    if (judge != null && judge.upstream().missingKey()) {
      return true;
    }
    return passThrough != null && passThrough.missingKey();
  }

  /**
   * Applies {@code f} to every upstream: panel members, the judge's upstream, the pass-through and
   * the router classifier. Used for demo mode and for filling missing keys.
   */
  public OpenFusionConfig withUpstreams(UnaryOperator<UpstreamConfig> f) {
    Objects.requireNonNull(f, "f");
    List<UpstreamConfig> newPanel = new ArrayList<>(panel.size());
    for (UpstreamConfig member : panel) {
      newPanel.add(f.apply(member));
    }
    RouterConfig newRouter = router.classifier() == null ? router : router.withClassifier(f.apply(router.classifier()));
    return toBuilder()
        .panel(newPanel)
        .judge(judge == null ? null : judge.withUpstream(f.apply(judge.upstream())))
        .passThrough(passThrough == null ? null : f.apply(passThrough))
        .router(newRouter)
        .build();
  }

  /** @return true if this config was built by zero-config rather than read from a file */
  public boolean isZeroConfig() {
    return ZERO_CONFIG_SOURCE.equals(source);
  }

  public OpenFusionConfig withPreset(String preset) {
    return toBuilder().preset(preset).build();
  }

  public OpenFusionConfig withStrategy(Strategy strategy) {
    return toBuilder().strategy(strategy).build();
  }

  public OpenFusionConfig withAggregator(Aggregator aggregator) {
    return toBuilder().aggregator(aggregator).build();
  }

  public OpenFusionConfig withPanel(List<UpstreamConfig> panel) {
    return toBuilder().panel(panel).build();
  }

  public OpenFusionConfig withJudge(JudgeConfig judge) {
    return toBuilder().judge(judge).build();
  }

  public OpenFusionConfig withPassThrough(UpstreamConfig passThrough) {
    return toBuilder().passThrough(passThrough).build();
  }

  public OpenFusionConfig withExposePanel(boolean exposePanel) {
    return toBuilder().exposePanel(exposePanel).build();
  }

  public OpenFusionConfig withTools(ToolsConfig tools) {
    return toBuilder().tools(tools).build();
  }

  public OpenFusionConfig withCostControls(CostControls costControls) {
    return toBuilder().costControls(costControls).build();
  }

  public OpenFusionConfig withGatewayKeys(List<String> gatewayKeys) {
    return toBuilder().gatewayKeys(gatewayKeys).build();
  }

  public OpenFusionConfig withServer(ServerConfig server) {
    return toBuilder().server(server).build();
  }

  public OpenFusionConfig withTimeouts(TimeoutsConfig timeouts) {
    return toBuilder().timeouts(timeouts).build();
  }

  /** Never prints API keys or gateway keys; the config is logged at startup. */
  @Override
  public String toString() {
    return "OpenFusionConfig[source=" + source
        + ", preset=" + preset
        + ", strategy=" + strategy.wire()
        + ", aggregator=" + aggregator.wire()
        + ", fusionModelName=" + fusionModelName
        + ", allowRequestOverrides=" + allowRequestOverrides
        + ", allowUiApiKey=" + allowUiApiKey
        + ", exposePanel=" + exposePanel
        + ", panel=" + panel
        + ", judge=" + judge
        + ", passThrough=" + passThrough
        + ", selfFusion=" + selfFusion
        + ", debate=" + debate
        + ", pipeline=" + pipeline
        + ", router=" + router
        + ", limits=" + limits
        + ", promptCache=" + promptCache
        + ", responseCache=" + responseCache
        + ", emitAnalysis=" + emitAnalysis
        + ", timeouts=" + timeouts
        + ", gatewayKeys=<" + gatewayKeys.size() + (gatewayKeys.size() == 1 ? " key>" : " keys>")
        + ", costControls=" + costControls
        + ", tools=" + tools
        + ", server=" + server
        + ", cluster=" + cluster
        + ", workers=" + workers
        + ", responses=" + responses
        + ", telemetry=" + telemetry + "]";
  }

  /** Mutable holder for building or copying a config; starts from the defaults. */
  public static final class Builder {
    private String preset;
    private Strategy strategy;
    private Aggregator aggregator;
    private String fusionModelName;
    private boolean allowRequestOverrides;
    private boolean allowUiApiKey;
    private boolean exposePanel;
    private List<UpstreamConfig> panel;
    private JudgeConfig judge;
    private UpstreamConfig passThrough;
    private SelfFusionConfig selfFusion;
    private DebateConfig debate;
    private PipelineConfig pipeline;
    private RouterConfig router;
    private LimitsConfig limits;
    private boolean promptCache;
    private ResponseCacheConfig responseCache;
    private boolean emitAnalysis;
    private TimeoutsConfig timeouts;
    private List<String> gatewayKeys;
    private CostControls costControls;
    private ToolsConfig tools;
    private ServerConfig server;
    private ClusterSettings cluster;
    private QuorumConfig quorum;
    private WorkersConfig workers;
    private ResponsesConfig responses;
    private TelemetryConfig telemetry;
    private String source;

    private Builder() {
    }

    private Builder(OpenFusionConfig c) {
      preset = c.preset;
      strategy = c.strategy;
      aggregator = c.aggregator;
      fusionModelName = c.fusionModelName;
      allowRequestOverrides = c.allowRequestOverrides;
      allowUiApiKey = c.allowUiApiKey;
      exposePanel = c.exposePanel;
      panel = c.panel;
      judge = c.judge;
      passThrough = c.passThrough;
      selfFusion = c.selfFusion;
      debate = c.debate;
      pipeline = c.pipeline;
      router = c.router;
      limits = c.limits;
      promptCache = c.promptCache;
      responseCache = c.responseCache;
      emitAnalysis = c.emitAnalysis;
      timeouts = c.timeouts;
      gatewayKeys = c.gatewayKeys;
      costControls = c.costControls;
      tools = c.tools;
      server = c.server;
      cluster = c.cluster;
      quorum = c.quorum;
      workers = c.workers;
      responses = c.responses;
      telemetry = c.telemetry;
      source = c.source;
    }

    public Builder preset(String v) { preset = v; return this; }
    public Builder strategy(Strategy v) { strategy = v; return this; }
    public Builder aggregator(Aggregator v) { aggregator = v; return this; }
    public Builder fusionModelName(String v) { fusionModelName = v; return this; }
    public Builder allowRequestOverrides(boolean v) { allowRequestOverrides = v; return this; }
    public Builder allowUiApiKey(boolean v) { allowUiApiKey = v; return this; }
    public Builder exposePanel(boolean v) { exposePanel = v; return this; }
    public Builder panel(List<UpstreamConfig> v) { panel = v; return this; }
    public Builder judge(JudgeConfig v) { judge = v; return this; }
    public Builder passThrough(UpstreamConfig v) { passThrough = v; return this; }
    public Builder selfFusion(SelfFusionConfig v) { selfFusion = v; return this; }
    public Builder debate(DebateConfig v) { debate = v; return this; }
    public Builder pipeline(PipelineConfig v) { pipeline = v; return this; }
    public Builder router(RouterConfig v) { router = v; return this; }
    public Builder limits(LimitsConfig v) { limits = v; return this; }
    public Builder promptCache(boolean v) { promptCache = v; return this; }
    public Builder responseCache(ResponseCacheConfig v) { responseCache = v; return this; }
    public Builder emitAnalysis(boolean v) { emitAnalysis = v; return this; }
    public Builder timeouts(TimeoutsConfig v) { timeouts = v; return this; }
    public Builder gatewayKeys(List<String> v) { gatewayKeys = v; return this; }
    public Builder costControls(CostControls v) { costControls = v; return this; }
    public Builder tools(ToolsConfig v) { tools = v; return this; }
    public Builder server(ServerConfig v) { server = v; return this; }
    public Builder cluster(ClusterSettings v) { cluster = v; return this; }
    public Builder quorum(QuorumConfig v) { quorum = v; return this; }
    public Builder workers(WorkersConfig v) { workers = v; return this; }
    public Builder responses(ResponsesConfig v) { responses = v; return this; }
    public Builder telemetry(TelemetryConfig v) { telemetry = v; return this; }
    public Builder source(String v) { source = v; return this; }

    public OpenFusionConfig build() {
      return new OpenFusionConfig(preset, strategy, aggregator, fusionModelName,
          allowRequestOverrides, allowUiApiKey, exposePanel,
          panel, judge, passThrough,
          selfFusion, debate, pipeline, router,
          limits, promptCache, responseCache, emitAnalysis,
          timeouts, gatewayKeys, costControls, tools,
          server, cluster, quorum, workers, responses, telemetry, source);
    }
  }
}
