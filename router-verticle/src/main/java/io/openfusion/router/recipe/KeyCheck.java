package io.openfusion.router.recipe;

import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;

import java.net.URI;

/**
 * Fails fast, before any call, when an upstream that needs a key has none. Servers on this machine or
 * a private network (Ollama, vLLM) commonly run without keys, so an empty key is only a problem for
 * remote hosts.
 */
public final class KeyCheck {

  private KeyCheck() {
  }

  public static void require(UpstreamConfig upstream) {
    if (upstream != null && !upstream.hasKey() && !isLocal(upstream.baseUrl())) {
      throw ApiError.of(ErrorCode.NO_API_KEY,
        "No upstream API key configured. Add one in the playground or set OPENROUTER_API_KEY (or run `openfusion setup`).");
    }
  }

  static boolean isLocal(String baseUrl) {
    String host;
    try {
      host = URI.create(baseUrl).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    host = host.toLowerCase();
    return host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("[::1]")
      || host.equals("::1") || host.startsWith("10.") || host.startsWith("192.168.") || isPrivate172(host)
      || host.equals("host.docker.internal") || !host.contains(".");
  }

  private static boolean isPrivate172(String host) {
    if (!host.startsWith("172.")) {
      return false;
    }
    String[] parts = host.split("\\.");
    try {
      int second = Integer.parseInt(parts[1]);
      return second >= 16 && second <= 31;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
