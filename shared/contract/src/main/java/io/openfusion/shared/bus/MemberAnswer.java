package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/** panel → router: what one member answered. {@code usage} may be null when the upstream reports none. */
public record MemberAnswer(String label, String model, String content, JsonObject usage, long latencyMs, String finishReason) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("label", label)
      .put("model", model)
      .put("content", content)
      .put("usage", usage)
      .put("latency_ms", latencyMs)
      .put("finish_reason", finishReason);
  }

  public static MemberAnswer fromJson(JsonObject json) {
    return new MemberAnswer(json.getString("label"), json.getString("model"), json.getString("content", ""),
      json.getJsonObject("usage"), json.getLong("latency_ms", 0L), json.getString("finish_reason"));
  }
}
