package io.openfusion.shared.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one chat request spent, reported once when it ended: by the router for every request it received, by the api
 * for a request it ended itself before any router had it (an invalid body, a recipe that could not be chosen, no router
 * running).
 *
 * @param recipe   the named recipe the request ran, or null for the node's own config
 * @param endpoint the API the client called ({@code chat.completions}, {@code responses}, {@code messages})
 * @param route    {@code fusion}, {@code pipeline}, {@code pass_through}, or null when it ended before a route was chosen
 * @param outcome  {@code success}, {@code error} or {@code cancelled} (the client left)
 * @param error    the OpenAI error object the client got ({@code message}, {@code type}, {@code code}), or null
 * @param calls    one entry per upstream call that reported usage: {@code {role, label, model, usage, estimated?}}
 * @param total    the summed usage (normalised by {@code Usages}, {@code cost} when upstreams reported it), or null
 */
public record RequestUsage(String requestId, String caller, String recipe, String endpoint, String route,
                           boolean stream, String outcome, JsonObject error, JsonArray calls, JsonObject total) {

  public static final String SUCCESS = "success";
  public static final String ERROR = "error";
  public static final String CANCELLED = "cancelled";
}
