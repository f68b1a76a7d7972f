package io.openfusion.app.cli;

import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;

import java.util.stream.Collectors;

/** The few lines printed at start-up: what recipe runs, where to call it, and whether a key is set. */
final class StartupSummary {

  private StartupSummary() {
  }

  static String render(NodeOptions options, int port, String demoBaseUrl) {
    OpenFusionConfig config = options.config();
    String host = config.server().host();
    String local = "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
    StringBuilder out = new StringBuilder("openfusion is starting\n");
    if (demoBaseUrl != null) {
      out.append("  mode:     DEMO: answers come from a simulated provider at ").append(demoBaseUrl)
        .append(" (no key, no network)\n");
    }
    out.append("  config:   ").append(config.source()).append('\n');
    out.append("  recipe:   preset=").append(config.preset() == null ? "none" : config.preset())
      .append(" | strategy=").append(config.strategy().wire())
      .append("  (aggregator=").append(config.aggregator().wire()).append(")\n");
    out.append("  panel:    ").append(config.panel().stream().map(UpstreamConfig::model).collect(Collectors.joining(", ")))
      .append("\n  judge:    ").append(config.judge() == null ? "none" : config.judge().upstream().model())
      .append("\n  tools:    ").append(tools(config)).append('\n');
    out.append("  roles:    ").append(options.roles().stream().map(Role::wire).collect(Collectors.joining(",")));
    if (options.clustered()) {
      out.append("  (cluster '").append(options.cluster().name()).append("' via ")
        .append(options.cluster().joinDescription()).append(')');
    }
    out.append('\n');
    if (port > 0) {
      out.append("  listening on http://").append(host).append(':').append(port).append('\n');
      out.append("  call it with model=\"").append(config.fusionModelName()).append("\" against http://").append(local)
        .append(':').append(port).append("/v1\n");
      if (demoBaseUrl == null && config.anyUpstreamKeyMissing()) {
        out.append("  ! no upstream API key yet: set OPENROUTER_API_KEY (or put api_key in the config), or try --demo\n");
      } else {
        out.append("  > open the playground at http://").append(local).append(':').append(port).append("/playground/\n");
      }
    }
    return out.toString();
  }

  private static String tools(OpenFusionConfig config) {
    if (config.tools().webSearch() && config.tools().webFetch()) {
      return "web search+fetch (OpenRouter members)";
    }
    if (config.tools().webSearch()) {
      return "web search (OpenRouter members)";
    }
    if (config.tools().webFetch()) {
      return "web fetch (OpenRouter members)";
    }
    return "off";
  }
}
