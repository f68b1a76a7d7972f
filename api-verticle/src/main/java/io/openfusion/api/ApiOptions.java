package io.openfusion.api;

import java.util.List;

/**
 * How the api verticle is wired into its node.
 *
 * @param metricsRegistry the Micrometer registry name to scrape at {@code /metrics}, or null without metrics
 * @param roles           the roles this node runs, reported by {@code /healthz}
 */
public record ApiOptions(String metricsRegistry, List<String> roles) {

  public static ApiOptions standalone() {
    return new ApiOptions(null, List.of("api", "router", "panel", "judge"));
  }
}
