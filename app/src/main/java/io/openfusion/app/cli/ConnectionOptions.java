package io.openfusion.app.cli;

import picocli.CommandLine.Option;

/** Where answers come from and the recipe tweaks, shared by {@code ask}, {@code chat} and the bare command. */
public final class ConnectionOptions {

  @Option(names = "--config", paramLabel = "FILE",
    description = "Config file (default: OPENFUSION_CONFIG, then ./openfusion.yaml, then zero-config).")
  String config;

  @Option(names = "--url", paramLabel = "URL",
    description = "Talk to a running openfusion server (e.g. http://localhost:8000) instead of running the engine in-process.")
  String url;

  @Option(names = "--gateway-key", paramLabel = "KEY",
    description = "Gateway key for --url servers that require one (default: OPENFUSION_GATEWAY_KEY).")
  String gatewayKey;

  @Option(names = "--demo", description = "Answer from the embedded simulated provider: no key, no network.")
  boolean demo;

  @Option(names = "--preset", paramLabel = "PRESET", description = "Run a built-in recipe instead: quality or budget.")
  String preset;

  @Option(names = "--max-tokens", paramLabel = "N", description = "Cap every model's answer at N tokens (at most 8192).")
  Integer maxTokens;

  /**
   * These options with the ones given before the subcommand ({@code openfusion --demo ask ...}) filling the
   * gaps, so an option is never silently ignored because of where it was typed.
   */
  public ConnectionOptions orElse(ConnectionOptions outer) {
    if (outer == null) {
      return this;
    }
    ConnectionOptions merged = new ConnectionOptions();
    merged.config = config != null ? config : outer.config;
    merged.url = url != null ? url : outer.url;
    merged.gatewayKey = gatewayKey != null ? gatewayKey : outer.gatewayKey;
    merged.demo = demo || outer.demo;
    merged.preset = preset != null ? preset : outer.preset;
    merged.maxTokens = maxTokens != null ? maxTokens : outer.maxTokens;
    return merged;
  }

  String gatewayKey(CliIo io) {
    return gatewayKey != null ? gatewayKey : io.envValue("OPENFUSION_GATEWAY_KEY");
  }
}
