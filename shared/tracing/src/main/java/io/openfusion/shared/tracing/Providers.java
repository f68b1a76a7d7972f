package io.openfusion.shared.tracing;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gen_ai.provider.name} of an upstream: the convention's name for the well-known hosts, {@code anthropic} for an
 * upstream spoken to in Anthropic's protocol, and the host itself for everything else (a gateway, a local server),
 * which says more than a guess would.
 */
final class Providers {

  private static final Map<String, String> KNOWN_HOSTS = Map.ofEntries(
    Map.entry("api.openai.com", "openai"),
    Map.entry("api.anthropic.com", "anthropic"),
    Map.entry("openrouter.ai", "openrouter"),
    Map.entry("api.groq.com", "groq"),
    Map.entry("api.mistral.ai", "mistral_ai"),
    Map.entry("api.deepseek.com", "deepseek"),
    Map.entry("api.x.ai", "x_ai"),
    Map.entry("api.perplexity.ai", "perplexity"),
    Map.entry("generativelanguage.googleapis.com", "gcp.gemini"));

  private Providers() {
  }

  /** The host and port of {@code baseUrl} (never its path, query or user info), or null when it is not a URL. */
  static URI endpoint(String baseUrl) {
    try {
      URI uri = URI.create(baseUrl);
      return uri.getHost() == null ? null : uri;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String name(URI endpoint, boolean anthropicProtocol) {
    String host = endpoint == null ? null : endpoint.getHost().toLowerCase(Locale.ROOT);
    String known = host == null ? null : KNOWN_HOSTS.get(host);
    if (known != null) {
      return known;
    }
    if (anthropicProtocol) {
      return "anthropic";
    }
    return host == null ? "openai" : host;
  }

  static int port(URI endpoint) {
    if (endpoint.getPort() > 0) {
      return endpoint.getPort();
    }
    return "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
  }
}
