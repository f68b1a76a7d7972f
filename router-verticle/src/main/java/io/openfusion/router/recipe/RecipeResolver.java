package io.openfusion.router.recipe;

import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.SelfFusionConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.ToolsConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a client's {@code openfusion} override to the server's recipe. Clients choose model ids only:
 * overridden models borrow the server's default credentials, so no URL or key ever comes from a client.
 */
public final class RecipeResolver {

  /** Most panel members a client may ask for, to bound cost amplification. */
  public static final int MAX_OVERRIDE_PANEL = 6;

  private final OpenFusionConfig config;

  public RecipeResolver(OpenFusionConfig config) {
    this.config = config;
  }

  public Recipe resolve(JsonObject override) {
    if (override != null && !config.allowRequestOverrides()) {
      throw ApiError.of(ErrorCode.OVERRIDES_DISABLED,
        "Per-request overrides are disabled on this server; remove the 'openfusion' object or set allow_request_overrides: true");
    }
    Overrides o = Overrides.parse(override);
    Strategy strategy = config.strategy();
    List<PlannedMember> members;
    UpstreamRef judge = configuredJudge();
    ToolsConfig tools = config.tools();
    if (o.preset() != null) {
      strategy = Strategy.PANEL;
      members = borrowed(Presets.panelModels(o.preset()));
      judge = judgeFor(Presets.judgeModel(o.preset()));
      tools = withWeb(tools, true, true);
    } else {
      members = configuredMembers(strategy);
    }
    if (o.panel() != null) {
      strategy = Strategy.PANEL;
      members = borrowed(o.panel());
    }
    if (o.judge() != null) {
      judge = judgeFor(o.judge());
    }
    if (o.webSearch() != null || o.webFetch() != null) {
      tools = withWeb(tools, o.webSearch() != null ? o.webSearch() : tools.webSearch(),
        o.webFetch() != null ? o.webFetch() : tools.webFetch());
    }
    boolean exposePanel = o.exposePanel() != null ? o.exposePanel() : config.exposePanel();
    return new Recipe(strategy, config.aggregator(), members, judge, exposePanel, config.emitAnalysis(),
      bounded(config.costControls(), o.maxTokens()), tools);
  }

  private List<PlannedMember> configuredMembers(Strategy strategy) {
    List<PlannedMember> members = new ArrayList<>();
    if (strategy == Strategy.SELF_FUSION) {
      if (config.panel().isEmpty()) {
        throw ApiError.of(ErrorCode.UPSTREAM_ERROR, "Self-fusion requires at least one panel member in the config");
      }
      UpstreamConfig first = config.panel().get(0);
      SelfFusionConfig selfFusion = config.selfFusion();
      for (int i = 0; i < selfFusion.n(); i++) {
        JsonObject sampling = new JsonObject();
        List<Double> spread = selfFusion.temperatureSpread();
        if (!spread.isEmpty()) {
          sampling.put("temperature", spread.get(i % spread.size()));
        }
        if (selfFusion.seedOffset()) {
          sampling.put("seed", i + 1);
        }
        members.add(new PlannedMember(new UpstreamRef(UpstreamRef.PANEL, 0, first.model(), first.displayLabel() + "-" + (i + 1)),
          sampling));
      }
      return members;
    }
    for (int i = 0; i < config.panel().size(); i++) {
      UpstreamConfig member = config.panel().get(i);
      members.add(new PlannedMember(new UpstreamRef(UpstreamRef.PANEL, i, member.model(), member.displayLabel()), new JsonObject()));
    }
    return members;
  }

  private static List<PlannedMember> borrowed(List<String> models) {
    List<PlannedMember> members = new ArrayList<>();
    for (String model : models) {
      members.add(new PlannedMember(new UpstreamRef(UpstreamRef.DEFAULT, 0, model, model), new JsonObject()));
    }
    return members;
  }

  private UpstreamRef configuredJudge() {
    if (config.judge() == null) {
      return null;
    }
    UpstreamConfig judge = config.judge().upstream();
    return new UpstreamRef(UpstreamRef.JUDGE, 0, judge.model(), "judge");
  }

  private UpstreamRef judgeFor(String model) {
    String source = config.judge() != null ? UpstreamRef.JUDGE : UpstreamRef.DEFAULT;
    return new UpstreamRef(source, 0, model, "judge");
  }

  private static ToolsConfig withWeb(ToolsConfig tools, boolean search, boolean fetch) {
    return new ToolsConfig(search, fetch, tools.maxResults(), tools.engine(), tools.excludedDomains(), tools.applyToJudge());
  }

  /** A client's max_tokens sets this request's ceilings, raising them no further than cost_controls.max_override_tokens. */
  private static CostControls bounded(CostControls ceilings, Integer maxTokens) {
    return maxTokens == null ? ceilings : ceilings.forRequest(maxTokens);
  }

  /** The parsed {@code openfusion} object. */
  record Overrides(String preset, List<String> panel, String judge, Boolean webSearch, Boolean webFetch,
                   Boolean exposePanel, Integer maxTokens) {

    private static final java.util.Set<String> KEYS = java.util.Set.of("preset", "panel", "judge", "tools", "expose_panel",
      "max_tokens");
    private static final java.util.Set<String> TOOL_KEYS = java.util.Set.of("web_search", "web_fetch");

    static Overrides parse(JsonObject o) {
      if (o == null) {
        return new Overrides(null, null, null, null, null, null, null);
      }
      for (String key : o.fieldNames()) {
        if (!KEYS.contains(key)) {
          // a typo would otherwise silently run the server's default recipe
          throw invalid("openfusion." + key + " is not a known override; use " + String.join(", ", new java.util.TreeSet<>(KEYS)));
        }
      }
      String preset = null;
      if (o.getValue("preset") != null) {
        if (!(o.getValue("preset") instanceof String p) || (!Presets.QUALITY.equals(p) && !Presets.BUDGET.equals(p))) {
          throw invalid("openfusion.preset must be \"quality\" or \"budget\"");
        }
        preset = p;
      }
      List<String> panel = null;
      if (o.getValue("panel") != null) {
        if (!(o.getValue("panel") instanceof JsonArray list)) {
          throw invalid("openfusion.panel must be an array of model ids");
        }
        panel = new ArrayList<>();
        for (Object id : list) {
          if (!(id instanceof String model)) {
            throw invalid("openfusion.panel must contain model id strings");
          }
          if (!model.isBlank()) {
            panel.add(model.strip());
          }
        }
        if (panel.isEmpty()) {
          throw invalid("openfusion.panel must name at least one model");
        }
        if (panel.size() > MAX_OVERRIDE_PANEL) {
          throw invalid("openfusion.panel may name at most " + MAX_OVERRIDE_PANEL + " models");
        }
      }
      String judge = null;
      if (o.getValue("judge") != null) {
        if (!(o.getValue("judge") instanceof String j) || j.isBlank()) {
          throw invalid("openfusion.judge must be a model id string");
        }
        judge = j.strip();
      }
      Boolean webSearch = null;
      Boolean webFetch = null;
      if (o.getValue("tools") != null) {
        if (!(o.getValue("tools") instanceof JsonObject tools)) {
          throw invalid("openfusion.tools must be an object like {\"web_search\": true}");
        }
        for (String key : tools.fieldNames()) {
          if (!TOOL_KEYS.contains(key)) {
            throw invalid("openfusion.tools." + key + " is not a known tool switch; use web_search, web_fetch");
          }
        }
        webSearch = bool(tools, "web_search", "openfusion.tools.web_search");
        webFetch = bool(tools, "web_fetch", "openfusion.tools.web_fetch");
      }
      Boolean exposePanel = bool(o, "expose_panel", "openfusion.expose_panel");
      Integer maxTokens = null;
      if (o.getValue("max_tokens") != null) {
        if (!(o.getValue("max_tokens") instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
          || n.longValue() < 1 || n.longValue() > Integer.MAX_VALUE) {
          throw invalid("openfusion.max_tokens must be a positive integer");
        }
        maxTokens = n.intValue();
      }
      return new Overrides(preset, panel, judge, webSearch, webFetch, exposePanel, maxTokens);
    }

    private static Boolean bool(JsonObject o, String key, String path) {
      Object value = o.getValue(key);
      if (value == null) {
        return null;
      }
      if (!(value instanceof Boolean b)) {
        throw invalid(path + " must be true or false");
      }
      return b;
    }

    private static ApiError invalid(String message) {
      return ApiError.of(ErrorCode.INVALID_OVERRIDE, message);
    }
  }
}
