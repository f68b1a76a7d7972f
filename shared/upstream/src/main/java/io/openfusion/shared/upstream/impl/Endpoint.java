package io.openfusion.shared.upstream.impl;

import java.net.URI;
import java.util.Locale;

/**
 * Where a call goes: the endpoint URL (chat completions, or another path such as Anthropic's {@code /messages}) built
 * from a base URL, and a printable origin
 * ({@code scheme://host:port}) for error messages that never shows user info, path or query.
 */
record Endpoint(String url, String origin) {

  static final String PATH = "/chat/completions";

  /** @throws IllegalArgumentException when the base URL is not an absolute http(s) URL */
  static Endpoint of(String baseUrl) {
    return of(baseUrl, PATH);
  }

  /**
   * @param path appended to the base URL's path, before its query
   * @throws IllegalArgumentException when the base URL is not an absolute http(s) URL
   */
  static Endpoint of(String baseUrl, String path) {
    String base = baseUrl.trim();
    URI uri = URI.create(base);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http(s) URL");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String host = uri.getHost();
    String origin = scheme + "://" + host + ":" + port;
    int q = base.indexOf('?');
    String prefix = q < 0 ? base : base.substring(0, q);
    String query = q < 0 ? "" : base.substring(q);
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return new Endpoint(prefix + path + query, origin);
  }
}
