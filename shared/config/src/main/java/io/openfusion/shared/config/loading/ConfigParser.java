package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.DebateConfig;
import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.QuorumConfig;
import io.openfusion.shared.config.ResponseCacheConfig;
import io.openfusion.shared.config.ResponsesConfig;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.SelfFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.TimeoutsConfig;
import io.openfusion.shared.config.ToolsConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.config.WorkersConfig;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a raw JSON tree (from YAML) into a validated {@link OpenFusionConfig}. Pure: no I/O.
 *
 * <p>Order: {@code ${VAR}} interpolation, then preset gap-filling, then typed reads with
 * defaults, then environment overrides ({@code OPENFUSION_API_KEYS}, {@code OPENFUSION_HOST},
 * {@code OPENFUSION_PORT}), then cross-field checks. The first problem found is thrown as a
 * {@link ConfigException}. Unknown keys are accepted and ignored so newer files keep loading.
 */
public final class ConfigParser {

  static final String OPENROUTER_API_KEY = "OPENROUTER_API_KEY";
  static final String OPENFUSION_API_KEYS = "OPENFUSION_API_KEYS";
  static final String OPENFUSION_HOST = "OPENFUSION_HOST";
  static final String OPENFUSION_PORT = "OPENFUSION_PORT";

  private static final double MAX_TEMPERATURE = 2.0;

  private ConfigParser() {
  }

  /**
   * Parses without a saved-credentials fallback: a preset's OpenRouter key comes from
   * {@code OPENROUTER_API_KEY} in {@code env}, else it is {@code ""}.
   *
   * @param raw    the YAML tree; null is read as {@code {}}; not modified
   * @param env    environment variables for interpolation and overrides
   * @param source where the tree came from, kept in {@link OpenFusionConfig#source()}
   * @throws ConfigException on the first invalid value
   */
  public static OpenFusionConfig parse(JsonObject raw, Map<String, String> env, String source) {
    return parse(raw, env, source, Optional::empty);
  }

  /**
   * Parses with a fallback for the preset's OpenRouter key: when {@code OPENROUTER_API_KEY} is
   * unset or blank, {@code savedKey} is asked (at most once, and only if a preset needs a key).
   * The loader passes {@link Credentials#load}; this method itself does no I/O.
   */
  public static OpenFusionConfig parse(JsonObject raw, Map<String, String> env, String source,
                                       Supplier<Optional<String>> savedKey) {
    Map<String, String> environment = env == null ? Map.of() : env;
    JsonObject tree = EnvInterpolator.interpolate(raw == null ? new JsonObject() : raw, environment);
    String preset = PresetExpander.apply(tree, () -> presetKey(environment, savedKey));
    Fields root = Fields.root(tree);

    OpenFusionConfig config = OpenFusionConfig.builder()
        .source(source)
        .preset(preset)
        .strategy(root.choice("strategy", Strategy.SELF_FUSION, Strategy::fromWire, Strategy.wireNames()))
        .aggregator(root.choice("aggregator", Aggregator.JUDGE, Aggregator::fromWire, Aggregator.wireNames()))
        .fusionModelName(fusionModelName(root))
        .allowRequestOverrides(root.bool("allow_request_overrides", false))
        .allowUiApiKey(root.bool("allow_ui_api_key", false))
        .exposePanel(root.bool("expose_panel", false))
        .panel(panel(root))
        .judge(nullable(root.object("judge"), Upstreams::judge))
        .passThrough(nullable(root.object("pass_through"), Upstreams::upstream))
        .selfFusion(selfFusion(root.objectOrEmpty("self_fusion")))
        .debate(new DebateConfig(root.objectOrEmpty("debate").integer("rounds",
            DebateConfig.DEFAULT_ROUNDS, DebateConfig.MIN_ROUNDS, DebateConfig.MAX_ROUNDS)))
        .pipeline(pipeline(root.objectOrEmpty("pipeline")))
        .router(router(root.objectOrEmpty("router")))
        .limits(limits(root, tree.getValue("budgets"), gatewayKeys(root.objectOrEmpty("gateway"), environment)))
        .promptCache(root.objectOrEmpty("cache").bool("enabled", false))
        .responseCache(responseCache(root.objectOrEmpty("response_cache")))
        .emitAnalysis(root.objectOrEmpty("analysis").bool("emit", false))
        .timeouts(timeouts(root.objectOrEmpty("timeouts")))
        .gatewayKeys(gatewayKeys(root.objectOrEmpty("gateway"), environment))
        .costControls(costControls(root.objectOrEmpty("cost_controls")))
        .tools(tools(root.objectOrEmpty("tools")))
        .server(NodeSections.server(root.objectOrEmpty("server"), environment))
        .cluster(NodeSections.cluster(root.objectOrEmpty("cluster")))
        .quorum(quorum(root.objectOrEmpty("quorum")))
        .workers(workers(root.objectOrEmpty("workers")))
        .responses(responses(root.objectOrEmpty("responses")))
        .telemetry(NodeSections.telemetry(root.objectOrEmpty("telemetry")))
        .build();
    checkConsistency(config);
    return config;
  }

  /**
   * The OpenRouter key for preset entries: env first, then the saved
   * CLI key, then {@code ""} so the server starts and asks for a key instead of refusing to boot.
   */
  static String presetKey(Map<String, String> env, Supplier<Optional<String>> savedKey) {
    String fromEnv = env.get(OPENROUTER_API_KEY);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    return savedKey == null ? "" : savedKey.get().map(String::trim).orElse("");
  }

  // ---- sections ------------------------------------------------------------------------------

  private static String fusionModelName(Fields root) {
    String name = root.string("fusion_model_name", OpenFusionConfig.DEFAULT_FUSION_MODEL_NAME);
    if (name.isBlank()) {
      throw new ConfigException(root.path("fusion_model_name"),
          "must not be empty (clients send it as \"model\"; the default is openfusion)");
    }
    return name.trim();
  }

  private static List<UpstreamConfig> panel(Fields root) {
    List<UpstreamConfig> members = new ArrayList<>();
    for (Fields member : root.objects("panel", Upstreams.MEMBER_HINT)) {
      members.add(Upstreams.upstream(member));
    }
    return members;
  }

  private static SelfFusionConfig selfFusion(Fields f) {
    return new SelfFusionConfig(
        f.integer("n", SelfFusionConfig.DEFAULT_N, SelfFusionConfig.MIN_N, SelfFusionConfig.MAX_N),
        f.numbers("temperature_spread", SelfFusionConfig.DEFAULT_TEMPERATURE_SPREAD, 0.0, MAX_TEMPERATURE),
        f.bool("seed_offset", SelfFusionConfig.DEFAULT_SEED_OFFSET));
  }

  private static PipelineConfig pipeline(Fields f) {
    List<PipelineStep> steps = new ArrayList<>();
    for (Fields step : f.objects("steps", "a mapping with name and use")) {
      String use = step.choice("use", PipelineStep.SOLO, List.of(PipelineStep.SOLO, PipelineStep.FUSE));
      String model = step.optionalString("model");
      if (model != null && PipelineStep.FUSE.equals(use)) {
        throw new ConfigException(step.path("model"),
            "only solo steps take a model (a fuse step uses the panel); remove it or set use: solo");
      }
      steps.add(new PipelineStep(step.requiredString("name"), use, model, step.string("system", null)));
    }
    return new PipelineConfig(steps);
  }

  private static RouterConfig router(Fields f) {
    List<RouteModel> routeModels = new ArrayList<>();
    for (Fields m : f.objects("route_models", "a mapping with model and tier")) {
      routeModels.add(Upstreams.routeModel(m));
    }
    return new RouterConfig(
        f.bool("enabled", false),
        f.choice("mode", RouterConfig.MODE_HEURISTIC, RouterConfig.MODES),
        f.integer("min_chars", RouterConfig.DEFAULT_MIN_CHARS, 0, Integer.MAX_VALUE),
        f.strings("fuse_keywords", RouterConfig.DEFAULT_FUSE_KEYWORDS),
        nullable(f.object("classifier"), Upstreams::upstream),
        f.integer("classifier_max_tokens", RouterConfig.DEFAULT_CLASSIFIER_MAX_TOKENS, 1,
            RouterConfig.MAX_CLASSIFIER_MAX_TOKENS),
        routeModels,
        f.seconds("classifier_timeout_seconds", RouterConfig.DEFAULT_CLASSIFIER_TIMEOUT));
  }

  private static QuorumConfig quorum(Fields f) {
    return new QuorumConfig(
        f.integer("min_answers", 0, 0, 16),
        f.integer("straggler_ms", 0, 0, 3_600_000));
  }

  private static WorkersConfig workers(Fields f) {
    return new WorkersConfig(
        f.integer("panel_max_concurrency", 0, 0, 100_000),
        f.integer("judge_max_concurrency", 0, 0, 100_000));
  }

  /** {@code limits} and the top-level {@code budgets}, whose keys must be among {@code gatewayKeys}. */
  private static LimitsConfig limits(Fields root, Object budgets, List<String> gatewayKeys) {
    Fields f = root.objectOrEmpty("limits");
    return new LimitsConfig(
        f.integer("max_in_flight", 0, 0, Integer.MAX_VALUE),
        f.integer("rate_limit_per_minute", 0, 0, Integer.MAX_VALUE),
        f.integer("tokens_per_minute", 0, 0, Integer.MAX_VALUE),
        BudgetsParser.parse(root, budgets, gatewayKeys));
  }

  private static ResponseCacheConfig responseCache(Fields f) {
    return new ResponseCacheConfig(
        f.bool("enabled", false),
        f.integer("ttl_seconds", ResponseCacheConfig.DEFAULT_TTL_SECONDS, 1, Integer.MAX_VALUE),
        f.integer("max_entries", ResponseCacheConfig.DEFAULT_MAX_ENTRIES, 1, Integer.MAX_VALUE));
  }

  private static ResponsesConfig responses(Fields f) {
    return new ResponsesConfig(
        f.integer("store_ttl_minutes", ResponsesConfig.DEFAULT_STORE_TTL_MINUTES, 1, 7 * 24 * 60),
        f.integer("max_stored", ResponsesConfig.DEFAULT_MAX_STORED, 0, 1_000_000),
        f.integer("max_stored_kb", ResponsesConfig.DEFAULT_MAX_STORED_KB, 1, 64 * 1024) * 1024);
  }

  private static TimeoutsConfig timeouts(Fields f) {
    return new TimeoutsConfig(
        f.seconds("member_seconds", TimeoutsConfig.DEFAULT_MEMBER),
        f.seconds("judge_seconds", TimeoutsConfig.DEFAULT_JUDGE),
        f.seconds("total_seconds", TimeoutsConfig.DEFAULT_TOTAL),
        f.seconds("connect_seconds", TimeoutsConfig.DEFAULT_CONNECT),
        f.seconds("first_token_seconds", TimeoutsConfig.DEFAULT_FIRST_TOKEN),
        f.seconds("idle_seconds", TimeoutsConfig.DEFAULT_IDLE));
  }

  /** File keys first, then {@code OPENFUSION_API_KEYS}; trimmed, blanks dropped, de-duplicated. */
  private static List<String> gatewayKeys(Fields f, Map<String, String> env) {
    Set<String> keys = new LinkedHashSet<>(f.strings("api_keys", List.of()));
    String fromEnv = env.get(OPENFUSION_API_KEYS);
    if (fromEnv != null) {
      for (String key : fromEnv.split(",")) {
        if (!key.isBlank()) {
          keys.add(key.trim());
        }
      }
    }
    return List.copyOf(keys);
  }

  private static CostControls costControls(Fields f) {
    return new CostControls(
        f.optionalInteger("pass_through_max_tokens", 1),
        f.optionalInteger("panel_max_tokens", 1),
        f.optionalInteger("judge_max_tokens", 1),
        f.optionalInteger("max_override_tokens", 1));
  }

  private static ToolsConfig tools(Fields f) {
    return new ToolsConfig(
        f.bool("web_search", false),
        // off unless asked for: a server tool is billed per call, and a config that never mentions tools should not pay
        f.bool("web_fetch", false),
        f.integer("max_results", ToolsConfig.DEFAULT_MAX_RESULTS, 1, ToolsConfig.MAX_MAX_RESULTS),
        f.choice("engine", ToolsConfig.DEFAULT_ENGINE, ToolsConfig.ENGINES),
        f.strings("excluded_domains", List.of()),
        f.bool("apply_to_judge", false));
  }

  // ---- cross-field checks --------------------------------------------------------------------

  private static void checkConsistency(OpenFusionConfig c) {
    Strategy s = c.strategy();
    if (s != Strategy.PIPELINE && c.panel().isEmpty()) {
      throw new ConfigException("panel", "at least one member is required for strategy " + s.wire()
          + " (add members under panel, or set preset: budget)");
    }
    if (s == Strategy.PIPELINE) {
      List<PipelineStep> steps = c.pipeline().steps();
      if (steps.isEmpty()) {
        throw new ConfigException("pipeline.steps", "at least one step is required for strategy pipeline");
      }
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i).isFuse() && c.panel().isEmpty()) {
          throw new ConfigException("pipeline.steps[" + i + "].use",
              "a fuse step needs panel members (add them under panel, or use: solo)");
        }
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  static String nonBlank(Fields f, String key, String def) {
    String v = f.string(key, def);
    if (v.isBlank()) {
      throw new ConfigException(f.path(key), "must not be empty (the default is " + def + ")");
    }
    return v.trim();
  }

  private static <T> T nullable(Fields f, Function<Fields, T> read) {
    return f == null ? null : read.apply(f);
  }
}
