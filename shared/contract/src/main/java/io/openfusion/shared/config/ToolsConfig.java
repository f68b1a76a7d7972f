package io.openfusion.shared.config;

import java.util.List;

/**
 * Server-side web tools (OpenRouter's web search / fetch), added to panel calls.
 *
 * @param webSearch       add the web search tool
 * @param webFetch        add the web fetch tool
 * @param maxResults      search results per query, 1..20
 * @param engine          {@code auto}, {@code native} or {@code exa}
 * @param excludedDomains domains the search must not return
 * @param applyToJudge    give the judge the tools too
 */
public record ToolsConfig(boolean webSearch, boolean webFetch, int maxResults, String engine,
                          List<String> excludedDomains, boolean applyToJudge) {

  public static final int DEFAULT_MAX_RESULTS = 5;
  public static final int MAX_MAX_RESULTS = 20;
  public static final String DEFAULT_ENGINE = "auto";
  public static final List<String> ENGINES = List.of("auto", "native", "exa");

  public ToolsConfig {
    engine = engine == null ? DEFAULT_ENGINE : engine;
    excludedDomains = excludedDomains == null ? List.of() : List.copyOf(excludedDomains);
  }

  public static ToolsConfig defaults() {
    return new ToolsConfig(false, false, DEFAULT_MAX_RESULTS, DEFAULT_ENGINE, List.of(), false);
  }

  /** Same settings with web search and fetch switched as given (presets, request overrides). */
  public ToolsConfig withWeb(boolean webSearch, boolean webFetch) {
    return new ToolsConfig(webSearch, webFetch, maxResults, engine, excludedDomains, applyToJudge);
  }
}
