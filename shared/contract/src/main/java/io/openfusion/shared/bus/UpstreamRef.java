package io.openfusion.shared.bus;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonObject;

/**
 * Names an upstream by its place in the recipe instead of carrying its URL and key, so provider keys
 * never travel over the (possibly clustered) event bus: each node resolves the reference against its
 * own copy of the config.
 *
 * @param source {@code panel}, {@code judge}, {@code pass_through}, {@code classifier}, {@code route}
 *               (an Auto Router tier model) or {@code default} (the credentials request overrides
 *               borrow: panel[0], else pass-through, else judge)
 * @param index  the index for {@code panel} and {@code route}
 * @param model  the model id to call (may differ from the configured one for overrides)
 * @param label  the label shown to clients and the judge
 */
public record UpstreamRef(String source, int index, String model, String label) {

  public static final String PANEL = "panel";
  public static final String JUDGE = "judge";
  public static final String PASS_THROUGH = "pass_through";
  public static final String DEFAULT = "default";
  public static final String CLASSIFIER = "classifier";
  public static final String ROUTE = "route";

  public JsonObject toJson() {
    return new JsonObject().put("source", source).put("index", index).put("model", model).put("label", label);
  }

  public static UpstreamRef fromJson(JsonObject json) {
    return new UpstreamRef(json.getString("source"), json.getInteger("index", 0), json.getString("model"), json.getString("label"));
  }

  /**
   * The upstream this reference points at in {@code config}, with {@code model} applied, or null when
   * the config has no such upstream.
   */
  public UpstreamConfig resolve(OpenFusionConfig config) {
    UpstreamConfig base = switch (source) {
      case PANEL -> index >= 0 && index < config.panel().size() ? config.panel().get(index) : null;
      case JUDGE -> config.judge() == null ? null : config.judge().upstream();
      case PASS_THROUGH -> config.passThroughResolved();
      case DEFAULT -> defaultCredentials(config);
      case CLASSIFIER -> config.router().classifier();
      case ROUTE -> routeModel(config, index);
      default -> null;
    };
    if (base == null) {
      return null;
    }
    return model == null || model.equals(base.model()) ? base : base.withModel(model);
  }

  /** A route model with its own URL and key, or the pass-through's where it names none. */
  private static UpstreamConfig routeModel(OpenFusionConfig config, int index) {
    var models = config.router().routeModels();
    if (index < 0 || index >= models.size()) {
      return null;
    }
    var route = models.get(index);
    UpstreamConfig passThrough = config.passThroughResolved();
    String baseUrl = route.baseUrl() != null ? route.baseUrl() : passThrough == null ? null : passThrough.baseUrl();
    String apiKey = route.apiKey() != null ? route.apiKey() : passThrough == null ? "" : passThrough.apiKey();
    return baseUrl == null ? null : new UpstreamConfig(baseUrl, apiKey, route.model(), null, null);
  }

  /** The credentials a client-chosen model id borrows: panel[0], else pass-through, else judge. */
  public static UpstreamConfig defaultCredentials(OpenFusionConfig config) {
    if (!config.panel().isEmpty()) {
      return config.panel().get(0);
    }
    if (config.passThroughResolved() != null) {
      return config.passThroughResolved();
    }
    return config.judge() == null ? null : config.judge().upstream();
  }
}
