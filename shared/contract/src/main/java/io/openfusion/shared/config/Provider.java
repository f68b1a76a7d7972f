package io.openfusion.shared.config;

import java.util.Locale;

/** The wire protocol an upstream speaks. */
public enum Provider {
  /** OpenAI chat completions ({@code /chat/completions}); also OpenRouter, Ollama, vLLM, ... */
  OPENAI("openai"),
  /** Anthropic Messages ({@code /messages}). */
  ANTHROPIC("anthropic");

  private final String wire;

  Provider(String wire) {
    this.wire = wire;
  }

  /** @return the YAML spelling, e.g. {@code "anthropic"} */
  public String wire() {
    return wire;
  }

  /**
   * Guesses the protocol from the upstream URL: Anthropic's own API is the
   * only non-OpenAI dialect we speak, and it always lives under {@code anthropic.com}.
   *
   * @param baseUrl an upstream base URL, may be null
   * @return {@link #ANTHROPIC} if the URL contains {@code anthropic.com}, else {@link #OPENAI}
   */
  public static Provider infer(String baseUrl) {
    if (baseUrl != null && baseUrl.toLowerCase(Locale.ROOT).contains("anthropic.com")) {
      return ANTHROPIC;
    }
    return OPENAI;
  }

  /**
   * @param value a wire name; surrounding blanks and letter case are ignored
   * @return the matching provider, or {@code null} if {@code value} is null or unknown
   */
  public static Provider fromWire(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Provider p : values()) {
      if (p.wire.equals(v)) {
        return p;
      }
    }
    return null;
  }

  /** @return the wire names joined with ", ", for error messages */
  public static String wireNames() {
    return WireNames.join(values(), Provider::wire);
  }
}
