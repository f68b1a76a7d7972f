package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * router → api: the answer to a non-streamed {@link ChatCommand}, the reply to {@link Addresses#ROUTER_CHAT}. (A
 * streamed request is answered with {@link StreamBatch} parts instead.)
 *
 * @param body the {@code chat.completion} the client receives, as it receives it
 */
public record ChatReply(JsonObject body) {

  public JsonObject toJson() {
    return new JsonObject().put("body", body);
  }

  public static ChatReply fromJson(JsonObject json) {
    return new ChatReply(json.getJsonObject("body"));
  }
}
