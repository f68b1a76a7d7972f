package io.openfusion.app.cli;

import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The few lines printed at start-up: what recipe runs, where to call it, whether a key is set, and a warning when
 * the API is open to the network (listening beyond loopback without gateway keys).
 */
final class StartupSummary {

  private StartupSummary() {
  }

  /**
   * Heap per byte of the largest request body an api node accepts: the api holds the body's bytes and the strings
   * parsed from them until the response ends (upstream calls encode theirs outside the heap). Measured with 19.5 MB
   * bodies (bench/RESULTS.md, K.2): 80 MB and up took 6 in a row and 4 at once, every time.
   */
  static final long HEAP_PER_BODY_BYTE = 4;

  static String render(NodeOptions options, int port, String demoBaseUrl) {
    return render(options, port, demoBaseUrl, Runtime.getRuntime().maxMemory());
  }

  static String render(NodeOptions options, int port, String demoBaseUrl, long maxHeapBytes) {
    OpenFusionConfig config = options.config();
    String host = config.server().host();
    String local = "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : forUrl(host);
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
      out.append("  listening on http://").append(forUrl(host)).append(':').append(port).append('\n');
      out.append("  call it with model=\"").append(config.fusionModelName()).append("\" against http://").append(local)
        .append(':').append(port).append("/v1\n");
      if (!loopback(host) && config.gatewayKeys().isEmpty()) {
        out.append("  ! open to the network: listening on ").append(forUrl(host)).append(':').append(port)
          .append(" with no gateway keys, so anyone who can reach it can use the API")
          .append(demoBaseUrl == null ? " and spend the upstream keys' credits" : "")
          .append("; set OPENFUSION_API_KEYS (or gateway.api_keys), or listen on 127.0.0.1 (--host, OPENFUSION_HOST, server.host)\n");
      }
      heapWarning(maxHeapBytes, config.server().maxBodyBytes()).ifPresent(out::append);
      if (demoBaseUrl == null && config.anyUpstreamKeyMissing()) {
        out.append("  ! no upstream API key yet: set OPENROUTER_API_KEY (or put api_key in the config), or try --demo\n");
      } else {
        out.append("  > open the playground at http://").append(local).append(':').append(port).append("/playground/\n");
      }
    }
    return out.toString();
  }

  /** A line when the heap is too small for a body of {@code server.max_body_mb}, naming both ways out. */
  static Optional<String> heapWarning(long maxHeapBytes, long maxBodyBytes) {
    long mb = 1024 * 1024;
    if (maxHeapBytes >= HEAP_PER_BODY_BYTE * maxBodyBytes) {
      return Optional.empty();
    }
    long fittingBodyMb = Math.max(1, maxHeapBytes / HEAP_PER_BODY_BYTE / mb);
    return Optional.of("  ! a " + maxHeapBytes / mb + " MB heap is small for server.max_body_mb: " + maxBodyBytes / mb
      + " (a body that large needs about " + HEAP_PER_BODY_BYTE * maxBodyBytes / mb + " MB of heap while it is handled); "
      + "raise the heap (OPENFUSION_JAVA_OPTS=-Xmx" + HEAP_PER_BODY_BYTE * maxBodyBytes / mb + "m) or lower "
      + "server.max_body_mb to " + fittingBodyMb + "\n");
  }

  /**
   * Whether {@code host} only takes connections from this machine: {@code localhost} or a loopback address. Any
   * other name counts as reachable from the network (it is not resolved here).
   */
  static boolean loopback(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*")) {
      return false;
    }
    try {
      // an address literal: parsed, never looked up
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** IPv6 literals in brackets, as in a URL. */
  private static String forUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
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
