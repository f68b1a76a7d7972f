package io.openfusion.router.fusion;

import io.openfusion.shared.config.ToolsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Adds OpenRouter's server-side web tools to a call. The upstream runs the search/fetch loop itself and
 * returns a final answer, so the panel stays a plain request/response. Idempotent by tool type, and
 * the client's own entries are kept.
 */
public final class WebTools {

  public static final String SEARCH = "openrouter:web_search";
  public static final String FETCH = "openrouter:web_fetch";

  private WebTools() {
  }

  /** Adds the enabled web tools when {@code baseUrl} is OpenRouter: other providers reject these tool types. */
  public static void inject(JsonObject body, ToolsConfig tools, String baseUrl) {
    if ((!tools.webSearch() && !tools.webFetch()) || !isOpenRouter(baseUrl)) {
      return;
    }
    JsonArray list = body.getValue("tools") instanceof JsonArray existing ? existing : new JsonArray();
    if (tools.webSearch() && !hasType(list, SEARCH)) {
      JsonObject parameters = new JsonObject().put("engine", tools.engine()).put("max_results", tools.maxResults());
      if (!tools.excludedDomains().isEmpty()) {
        parameters.put("excluded_domains", new JsonArray(tools.excludedDomains()));
      }
      list.add(new JsonObject().put("type", SEARCH).put("parameters", parameters));
    }
    if (tools.webFetch() && !hasType(list, FETCH)) {
      JsonObject fetch = new JsonObject().put("type", FETCH);
      if (!tools.excludedDomains().isEmpty()) {
        fetch.put("parameters", new JsonObject().put("blocked_domains", new JsonArray(tools.excludedDomains())));
      }
      list.add(fetch);
    }
    body.put("tools", list);
  }

  static boolean isOpenRouter(String baseUrl) {
    try {
      String host = java.net.URI.create(baseUrl).getHost();
      return host != null && (host.equals("openrouter.ai") || host.endsWith(".openrouter.ai"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean hasType(JsonArray tools, String type) {
    for (Object tool : tools) {
      if (tool instanceof JsonObject t && type.equals(t.getValue("type"))) {
        return true;
      }
    }
    return false;
  }
}
