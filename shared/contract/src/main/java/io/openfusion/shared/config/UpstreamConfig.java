package io.openfusion.shared.config;

/**
 * One upstream model endpoint: a panel member, the judge, the pass-through model or the router
 * classifier.
 *
 * <p>The canonical constructor normalises its input so every instance is usable as-is: a null
 * {@code apiKey} becomes {@code ""} (a key that has to be filled in at request time), trailing
 * {@code /} are stripped from {@code baseUrl}, a blank {@code label} becomes null, and a null
 * {@code provider} is inferred from the URL.
 *
 * @param baseUrl  OpenAI- or Anthropic-style API root, e.g. {@code https://openrouter.ai/api/v1}
 * @param apiKey   the upstream key, {@code ""} if none is configured (never null)
 * @param model    the upstream model id, e.g. {@code openai/gpt-4o-mini}
 * @param label    display name in progress events and the judge prompt, null for the model id
 * @param provider wire protocol to speak
 */
public record UpstreamConfig(String baseUrl, String apiKey, String model, String label, Provider provider) {

  public UpstreamConfig {
    baseUrl = stripTrailingSlashes(baseUrl);
    apiKey = apiKey == null ? "" : apiKey;
    label = label == null || label.isBlank() ? null : label;
    provider = provider == null ? Provider.infer(baseUrl) : provider;
  }

  /** An upstream whose provider is inferred from the URL and which has no label. */
  public static UpstreamConfig of(String baseUrl, String apiKey, String model) {
    return new UpstreamConfig(baseUrl, apiKey, model, null, null);
  }

  /** @return the label if it is set, else the model id */
  public String displayLabel() {
    return label != null && !label.isBlank() ? label : model;
  }

  /**
   * @return true when calls would fail for want of a key: none is set and the host is remote. Servers on
   *     this machine or a private network (Ollama, vLLM) commonly run without keys.
   */
  public boolean missingKey() {
    return !hasKey() && !LocalHosts.isLocal(baseUrl);
  }

  /** @return true if an API key is configured (non-blank) */
  public boolean hasKey() {
    return !apiKey.isBlank();
  }

  /**
   * Same endpoint and credentials, another model. The label is dropped because it described the
   * old model.
   */
  public UpstreamConfig withModel(String model) {
    return new UpstreamConfig(baseUrl, apiKey, model, null, provider);
  }

  /** Same upstream with another key ({@code null} means none). */
  public UpstreamConfig withApiKey(String key) {
    return new UpstreamConfig(baseUrl, key, model, label, provider);
  }

  /** Same upstream with another label ({@code null} or blank means "use the model id"). */
  public UpstreamConfig withLabel(String label) {
    return new UpstreamConfig(baseUrl, apiKey, model, label, provider);
  }

  /** Same upstream, with {@code key} only if no key is configured yet (UI / runtime keys). */
  public UpstreamConfig withApiKeyIfMissing(String key) {
    return hasKey() ? this : withApiKey(key);
  }

  /** Never prints the key: upstream configs end up in logs and startup summaries. */
  @Override
  public String toString() {
    return "UpstreamConfig[baseUrl=" + baseUrl
        + ", apiKey=" + maskKey(apiKey)
        + ", model=" + model
        + ", label=" + label
        + ", provider=" + (provider == null ? null : provider.wire()) + "]";
  }

  /** {@code ***} for a key, {@code <unset>} for none: enough to debug "is a key there?". */
  static String maskKey(String key) {
    return key == null || key.isBlank() ? "<unset>" : "***";
  }

  public static String stripTrailingSlashes(String url) {
    if (url == null) {
      return null;
    }
    int end = url.length();
    while (end > 0 && url.charAt(end - 1) == '/') {
      end--;
    }
    return url.substring(0, end);
  }
}
