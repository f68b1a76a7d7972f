package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * api → router ({@link Addresses#ROUTER_CHAT}): one validated chat-completion request.
 *
 * @param requestId the request id (from {@code X-Request-Id} or generated)
 * @param stream    whether the client asked for SSE: the router then answers with a stream of {@link StreamBatch}
 *                  parts ({@link StreamSender}), else with one {@link ChatReply}
 * @param body      the client's body without the {@code openfusion} override
 * @param override  the client's {@code openfusion} object, or null
 * @param caller    who is asking (gateway key or client address), for per-caller state
 * @param deadline  epoch ms by which the whole request must end
 * @param events    whether the client wants openfusion's named SSE events ({@code event: progress} and
 *                  friends); without them the same information travels as SSE comments, which every
 *                  client skips
 * @param origin    the cluster node id of the api instance holding the client's connection, or null on a
 *                  node alone: when that node leaves the cluster, the request's work is cancelled
 * @param recipe    the named recipe an embedding host chose for this caller, or null for the node's own config
 * @param endpoint  the API the client called ({@code chat.completions}, {@code responses}, {@code messages}), for
 *                  usage reports; null reads as {@code chat.completions}
 */
public record ChatCommand(String requestId, boolean stream, JsonObject body, JsonObject override,
                          String caller, long deadline, boolean events, String origin, String recipe,
                          String endpoint) {

  public static final String CHAT_COMPLETIONS = "chat.completions";

  public ChatCommand(String requestId, boolean stream, JsonObject body, JsonObject override, String caller,
                     long deadline, boolean events, String origin) {
    this(requestId, stream, body, override, caller, deadline, events, origin, null, CHAT_COMPLETIONS);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("request_id", requestId)
      .put("stream", stream)
      .put("body", body)
      .put("override", override)
      .put("caller", caller)
      .put("deadline", deadline)
      .put("events", events)
      .put("origin", origin)
      .put("recipe", recipe)
      .put("endpoint", endpoint);
  }

  public static ChatCommand fromJson(JsonObject json) {
    return new ChatCommand(json.getString("request_id"), json.getBoolean("stream", false),
      json.getJsonObject("body"), json.getJsonObject("override"), json.getString("caller"), json.getLong("deadline"),
      json.getBoolean("events", false), json.getString("origin"), json.getString("recipe"),
      json.getString("endpoint", CHAT_COMPLETIONS));
  }
}
