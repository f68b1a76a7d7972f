package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * router → panel ({@link Addresses#PANEL_CALL}): one non-streamed upstream call for one panel member.
 * The reply is a {@link MemberAnswer}; a failure is an {@link io.openfusion.shared.error.ApiError}.
 *
 * @param callId names this call within its request, so the router can cancel just this one
 * @param body   the upstream request body without {@code model} (the worker sets it from {@code member})
 * @param caller who asked, so the worker can use the caller's playground key where the config has none
 */
public record MemberCall(String requestId, String callId, UpstreamRef member, JsonObject body, long deadline,
                         String caller) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("request_id", requestId)
      .put("call_id", callId)
      .put("member", member.toJson())
      .put("body", body)
      .put("deadline", deadline)
      .put("caller", caller);
  }

  public static MemberCall fromJson(JsonObject json) {
    return new MemberCall(json.getString("request_id"), json.getString("call_id"), UpstreamRef.fromJson(json.getJsonObject("member")),
      json.getJsonObject("body"), json.getLong("deadline"), json.getString("caller"));
  }
}
