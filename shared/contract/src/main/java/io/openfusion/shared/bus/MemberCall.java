package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * router → panel ({@link Addresses#PANEL_CALL}): one non-streamed upstream call for one panel member.
 * The reply is a {@link MemberAnswer}; a failure is an {@link io.openfusion.shared.error.ApiError}.
 *
 * @param callId names this call within its request, so the router can cancel just this one
 * @param body   the upstream request body without {@code model} (the worker sets it from {@code member})
 * @param caller who asked, so the worker can use the caller's playground key where the config has none
 * @param attempt    0 for the first send; the router sends a call again (attempt 1, 2, ...) when the node that
 *                   accepted it leaves the cluster or never confirms it
 * @param acceptedTo where the worker confirms it has the call ({@code {"call_key","node"}}), or null to skip
 *                   confirming (a node alone never loses a worker)
 * @param recipe     the named recipe {@code member} belongs to, or null for the node's own config
 * @param trace      the run's trace, which the call's span joins; it travels as the request's headers, not in the
 *                   body, and every attempt carries it. Null while tracing is off
 */
public record MemberCall(String requestId, String callId, UpstreamRef member, JsonObject body, long deadline,
                         String caller, int attempt, String acceptedTo, String recipe, TraceHeaders trace) {

  public MemberCall(String requestId, String callId, UpstreamRef member, JsonObject body, long deadline, String caller) {
    this(requestId, callId, member, body, deadline, caller, 0, null, null, null);
  }

  public MemberCall(String requestId, String callId, UpstreamRef member, JsonObject body, long deadline, String caller,
                    int attempt, String acceptedTo) {
    this(requestId, callId, member, body, deadline, caller, attempt, acceptedTo, null, null);
  }

  public MemberCall(String requestId, String callId, UpstreamRef member, JsonObject body, long deadline, String caller,
                    int attempt, String acceptedTo, String recipe) {
    this(requestId, callId, member, body, deadline, caller, attempt, acceptedTo, recipe, null);
  }

  /** The same call, its member read from the named recipe. */
  public MemberCall inRecipe(String name) {
    return new MemberCall(requestId, callId, member, body, deadline, caller, attempt, acceptedTo, name, trace);
  }

  /** The same call in the trace {@code headers} name (null: none). */
  public MemberCall withTrace(TraceHeaders headers) {
    return headers == trace ? this
      : new MemberCall(requestId, callId, member, body, deadline, caller, attempt, acceptedTo, recipe, headers);
  }

  /**
   * Names this attempt for cancelling: the first attempt keeps the call id, later ones add {@code ~n}, so
   * giving up on an attempt never cancels the one that replaced it.
   */
  public String cancelKey() {
    return attempt == 0 ? callId : callId + "~" + attempt;
  }

  /** The same call, sent again. */
  public MemberCall nextAttempt(String acceptedTo) {
    return new MemberCall(requestId, callId, member, body, deadline, caller, attempt + 1, acceptedTo, recipe, trace);
  }

  public MemberCall withAcceptedTo(String address) {
    return new MemberCall(requestId, callId, member, body, deadline, caller, attempt, address, recipe, trace);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("request_id", requestId)
      .put("call_id", callId)
      .put("member", member.toJson())
      .put("body", body)
      .put("deadline", deadline)
      .put("caller", caller)
      .put("attempt", attempt)
      .put("accepted_to", acceptedTo)
      .put("recipe", recipe);
  }

  /** The body alone: {@link #trace} is the request's headers' business ({@code Deadlines.until}). */
  public static MemberCall fromJson(JsonObject json) {
    return new MemberCall(json.getString("request_id"), json.getString("call_id"), UpstreamRef.fromJson(json.getJsonObject("member")),
      json.getJsonObject("body"), json.getLong("deadline"), json.getString("caller"), json.getInteger("attempt", 0),
      json.getString("accepted_to"), json.getString("recipe"));
  }
}
