package io.openfusion.shared.config;

import java.util.List;

/**
 * The HTTP listener. YAML:
 * <pre>
 * server:
 *   host: 127.0.0.1          # OPENFUSION_HOST wins; 0.0.0.0 listens on every interface
 *   port: 8000               # OPENFUSION_PORT wins
 *   max_body_mb: 20
 *   shutdown_grace_seconds: 30
 *   cors_origins: []         # empty: same-origin only
 *   metrics:
 *     enabled: true
 *     require_key: false     # true: /metrics needs a gateway key like /v1
 *     port: 0                # > 0: serve /metrics on its own port instead
 *   sse_events: comments     # named: every client gets event: progress/usage/... unless it opts out
 * </pre>
 *
 * @param host              interface to bind; loopback unless the operator names another, so a node with a
 *                          provider key and no gateway keys is not open to the network by accident
 * @param port              TCP port, 0 for an ephemeral one (tests)
 * @param maxBodyBytes      request body limit in bytes
 * @param shutdownGraceMs   how long in-flight streams may finish after a stop signal
 * @param corsOrigins       browser origins allowed to call the API; empty keeps it same-origin
 * @param metricsEnabled    serve {@code /metrics}
 * @param metricsRequireKey put {@code /metrics} behind the gateway keys
 * @param metricsPort       serve {@code /metrics} on this port only (0: on the main port)
 * @param namedEvents       whether a client that does not say otherwise gets openfusion's named SSE events; off by
 *                          default, because ordinary OpenAI client libraries parse every SSE message as a chunk
 */
public record ServerConfig(String host, int port, long maxBodyBytes, long shutdownGraceMs, List<String> corsOrigins,
                           boolean metricsEnabled, boolean metricsRequireKey, int metricsPort,
                           boolean namedEvents) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;
  public static final int DEFAULT_MAX_BODY_MB = 20;
  public static final long BYTES_PER_MB = 1024L * 1024L;
  public static final long DEFAULT_SHUTDOWN_GRACE_MS = 30_000;
  /** {@code server.sse_events} values: progress as SSE comments (the default), or as named events. */
  public static final String SSE_EVENTS_COMMENTS = "comments";
  public static final String SSE_EVENTS_NAMED = "named";

  public ServerConfig {
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
  }

  /** A listener with default shutdown, CORS and metrics settings. */
  public ServerConfig(String host, int port, long maxBodyBytes) {
    this(host, port, maxBodyBytes, DEFAULT_SHUTDOWN_GRACE_MS, List.of(), true, false, 0, false);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_MB * BYTES_PER_MB);
  }

  public ServerConfig withHost(String host) {
    return new ServerConfig(host, port, maxBodyBytes, shutdownGraceMs, corsOrigins, metricsEnabled, metricsRequireKey, metricsPort, namedEvents);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(host, port, maxBodyBytes, shutdownGraceMs, corsOrigins, metricsEnabled, metricsRequireKey, metricsPort, namedEvents);
  }

  public ServerConfig withNamedEvents(boolean named) {
    return new ServerConfig(host, port, maxBodyBytes, shutdownGraceMs, corsOrigins, metricsEnabled, metricsRequireKey, metricsPort, named);
  }

  public ServerConfig withShutdownGraceMs(long graceMs) {
    return new ServerConfig(host, port, maxBodyBytes, graceMs, corsOrigins, metricsEnabled, metricsRequireKey, metricsPort, namedEvents);
  }
}
