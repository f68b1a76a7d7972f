package io.openfusion.shared.config;

/**
 * The HTTP listener. YAML: {@code server: {host: 0.0.0.0, port: 8000, max_body_mb: 20}};
 * env {@code OPENFUSION_HOST} / {@code OPENFUSION_PORT} win over the file.
 *
 * @param host         interface to bind
 * @param port         TCP port, 0 for an ephemeral one (tests)
 * @param maxBodyBytes request body limit in bytes
 */
public record ServerConfig(String host, int port, long maxBodyBytes) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8000;
  public static final int DEFAULT_MAX_BODY_MB = 20;
  public static final long BYTES_PER_MB = 1024L * 1024L;

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_MB * BYTES_PER_MB);
  }

  public ServerConfig withHost(String host) {
    return new ServerConfig(host, port, maxBodyBytes);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(host, port, maxBodyBytes);
  }
}
