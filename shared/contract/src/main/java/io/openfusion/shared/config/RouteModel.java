package io.openfusion.shared.config;

/**
 * A single model the Auto Router may send a SOLO request to, picked by difficulty tier.
 *
 * @param model   upstream model id
 * @param tier    {@link #FAST}, {@link #BALANCED} (default) or {@link #STRONG}
 * @param baseUrl upstream root, null to reuse the default credentials (pass-through / panel[0])
 * @param apiKey  upstream key, null to reuse the default credentials
 */
public record RouteModel(String model, String tier, String baseUrl, String apiKey) {

  public static final String FAST = "fast";
  public static final String BALANCED = "balanced";
  public static final String STRONG = "strong";

  public RouteModel {
    tier = tier == null ? BALANCED : tier;
    baseUrl = UpstreamConfig.stripTrailingSlashes(baseUrl);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "RouteModel[model=" + model + ", tier=" + tier + ", baseUrl=" + baseUrl
        + ", apiKey=" + (apiKey == null ? null : UpstreamConfig.maskKey(apiKey)) + "]";
  }
}
