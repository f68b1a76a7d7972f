package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.UpstreamConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** Reads the upstream-shaped sections: panel members, judge, pass-through, classifier, route models. */
final class Upstreams {

  static final String MEMBER_HINT = "a mapping with base_url, api_key and model";

  private Upstreams() {
  }

  /**
   * {@code {base_url (req), api_key (req, may be ""), model (req), label?, provider?}}. A missing
   * {@code api_key} is read as {@code ""}: the server then asks for a key instead of refusing to
   * start, which is what a local Ollama recipe (no key at all) needs.
   */
  static UpstreamConfig upstream(Fields f) {
    String baseUrl = baseUrl(f, "base_url", true);
    String apiKey = f.string("api_key", "").trim();
    String model = f.requiredString("model");
    String label = f.optionalString("label");
    Provider provider = f.choice("provider", null, Provider::fromWire, Provider.wireNames());
    return new UpstreamConfig(baseUrl, apiKey, model, label, provider);
  }

  static JudgeConfig judge(Fields f) {
    UpstreamConfig upstream = upstream(f);
    int maxPanelTokens = f.integer("max_panel_tokens", JudgeConfig.DEFAULT_MAX_PANEL_TOKENS, 1, Integer.MAX_VALUE);
    return new JudgeConfig(upstream, maxPanelTokens, f.bool("fallback_to_panel", true));
  }

  static RouteModel routeModel(Fields f) {
    String model = f.requiredString("model");
    String tier = f.choice("tier", RouteModel.BALANCED,
        List.of(RouteModel.FAST, RouteModel.BALANCED, RouteModel.STRONG));
    String baseUrl = baseUrl(f, "base_url", false);
    String apiKey = f.string("api_key", null);
    return new RouteModel(model, tier, baseUrl, apiKey == null ? null : apiKey.trim());
  }

  /**
   * An http(s) URL with a host, trailing {@code /} stripped (the client appends
   * {@code /chat/completions}).
   *
   * @return the URL, or null when optional and absent
   */
  static String baseUrl(Fields f, String key, boolean required) {
    String raw = required ? f.requiredString(key) : f.optionalString(key);
    if (raw == null) {
      return null;
    }
    String url = UpstreamConfig.stripTrailingSlashes(raw);
    if (!isHttpUrl(url)) {
      throw new ConfigException(f.path(key), "must be an http(s) URL such as "
          + Presets.OPENROUTER_BASE_URL + ", got \"" + raw + "\"");
    }
    return url;
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
