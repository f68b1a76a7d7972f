package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.config.TelemetryConfig;

import java.util.List;
import java.util.Map;

/**
 * The sections about the node itself rather than the recipe: where it listens ({@code server}), whom it clusters with
 * ({@code cluster}) and what its traces may record ({@code telemetry}).
 */
final class NodeSections {

  private static final int MAX_BODY_MB = 1024;

  private NodeSections() {
  }

  /** File values, then {@code OPENFUSION_HOST} / {@code OPENFUSION_PORT}, which win (containers set them). */
  static ServerConfig server(Fields f, Map<String, String> env) {
    String host = ConfigParser.nonBlank(f, "host", ServerConfig.DEFAULT_HOST);
    int port = f.integer("port", ServerConfig.DEFAULT_PORT, 0, 65_535);
    int maxBodyMb = f.integer("max_body_mb", ServerConfig.DEFAULT_MAX_BODY_MB, 1, MAX_BODY_MB);

    String envHost = env.get(ConfigParser.OPENFUSION_HOST);
    if (envHost != null && !envHost.isBlank()) {
      host = envHost.trim();
    }
    String envPort = env.get(ConfigParser.OPENFUSION_PORT);
    if (envPort != null && !envPort.isBlank()) {
      port = parsePort(envPort.trim());
    }
    Fields metrics = f.objectOrEmpty("metrics");
    return new ServerConfig(host, port, maxBodyMb * ServerConfig.BYTES_PER_MB,
        f.seconds("shutdown_grace_seconds", java.time.Duration.ofMillis(ServerConfig.DEFAULT_SHUTDOWN_GRACE_MS)).toMillis(),
        f.strings("cors_origins", List.of()),
        metrics.bool("enabled", true),
        metrics.bool("require_key", false),
        metrics.integer("port", 0, 0, 65_535),
        ServerConfig.SSE_EVENTS_NAMED.equals(f.choice("sse_events", ServerConfig.SSE_EVENTS_COMMENTS,
            List.of(ServerConfig.SSE_EVENTS_COMMENTS, ServerConfig.SSE_EVENTS_NAMED))));
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(ConfigParser.OPENFUSION_PORT,
        "must be a port number between 0 and 65535, got '" + value + "' (fix or unset the variable)");
  }

  static ClusterSettings cluster(Fields f) {
    String name = ConfigParser.nonBlank(f, "name", ClusterSettings.DEFAULT_NAME);
    int port = f.integer("port", ClusterSettings.DEFAULT_PORT, 1, 65_535);
    String host = ConfigParser.nonBlank(f, "host", ClusterSettings.DEFAULT_HOST);
    Fields kubernetes = f.object("kubernetes");
    if (kubernetes != null) {
      if (f.has("members")) {
        throw new ConfigException(f.path("members"),
            "cannot be combined with cluster.kubernetes: use members (TCP-IP) or kubernetes discovery, not both");
      }
      return new ClusterSettings(name, List.of(), port, host, clusterKubernetes(kubernetes));
    }
    List<String> members = f.strings("members", ClusterSettings.DEFAULT_MEMBERS);
    if (members.isEmpty()) {
      throw new ConfigException(f.path("members"),
          "must list at least one member address, e.g. [\"127.0.0.1\"]");
    }
    return new ClusterSettings(name, members, port, host);
  }

  private static ClusterSettings.Kubernetes clusterKubernetes(Fields k) {
    String serviceDns = k.string("service_dns", null);
    if (serviceDns == null || serviceDns.isBlank()) {
      throw new ConfigException(k.path("service_dns"),
          "required: the headless service's DNS name, e.g. openfusion-hz.default.svc.cluster.local");
    }
    return new ClusterSettings.Kubernetes(serviceDns.trim(), k.integer("timeout_seconds",
        ClusterSettings.Kubernetes.DEFAULT_TIMEOUT_SECONDS, 1, 300));
  }

  /** Where traces go is the {@code OTEL_*} environment's business; the config only says whether they may hold text. */
  static TelemetryConfig telemetry(Fields f) {
    return new TelemetryConfig(f.bool("capture_content", false));
  }
}
