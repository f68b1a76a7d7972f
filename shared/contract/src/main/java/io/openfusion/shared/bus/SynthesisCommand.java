package io.openfusion.shared.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * router → judge ({@link Addresses#JUDGE_SYNTHESIZE}): synthesize one answer from the panel's answers. The judge
 * answers with a stream of {@link SynthesisPart}s ({@link StreamSender}): text as it comes, then how it ended. It knows
 * nothing of the client's wire format.
 *
 * @param messages the client's whole conversation, system prompt included
 * @param params   the client's sampling parameters (no messages, model, stream or tool fields)
 * @param answers  {@code [{"label","content"}]} of the members that answered
 * @param caller   who asked, for the caller's playground key
 * @param recipe   the named recipe {@code judge} belongs to, or null for the node's own config
 * @param trace    the run's trace, which the judge's span joins; it travels as the request's headers, not in the
 *                 body. Null while tracing is off
 * @param whole    the router uses the answer only once it is whole (a non-streamed client, a pipeline's inner step):
 *                 the judge sends all of its text in the last part, instead of a part (and a credit) per piece
 */
public record SynthesisCommand(String requestId, UpstreamRef judge, JsonArray messages, JsonObject params,
                               JsonArray answers, boolean emitAnalysis, long deadline, String caller, String recipe,
                               TraceHeaders trace, boolean whole) {

  public SynthesisCommand(String requestId, UpstreamRef judge, JsonArray messages, JsonObject params,
                          JsonArray answers, boolean emitAnalysis, long deadline, String caller) {
    this(requestId, judge, messages, params, answers, emitAnalysis, deadline, caller, null, null, false);
  }

  /** The same command, its judge read from the named recipe. */
  public SynthesisCommand inRecipe(String name) {
    return new SynthesisCommand(requestId, judge, messages, params, answers, emitAnalysis, deadline, caller, name,
      trace, whole);
  }

  /** The same command in the trace {@code headers} name (null: none). */
  public SynthesisCommand withTrace(TraceHeaders headers) {
    return headers == trace ? this
      : new SynthesisCommand(requestId, judge, messages, params, answers, emitAnalysis, deadline, caller, recipe,
        headers, whole);
  }

  /** The same command, its text wanted only {@code whole} (see {@link #whole}). */
  public SynthesisCommand wantingWhole(boolean whole) {
    return whole == this.whole ? this
      : new SynthesisCommand(requestId, judge, messages, params, answers, emitAnalysis, deadline, caller, recipe,
        trace, whole);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("request_id", requestId)
      .put("judge", judge.toJson())
      .put("messages", messages)
      .put("params", params)
      .put("answers", answers)
      .put("emit_analysis", emitAnalysis)
      .put("deadline", deadline)
      .put("caller", caller)
      .put("recipe", recipe)
      .put("whole", whole);
  }

  /** The body alone: {@link #trace} is the request's headers' business ({@code Deadlines.until}). */
  public static SynthesisCommand fromJson(JsonObject json) {
    return new SynthesisCommand(json.getString("request_id"), UpstreamRef.fromJson(json.getJsonObject("judge")),
      json.getJsonArray("messages"), json.getJsonObject("params", new JsonObject()), json.getJsonArray("answers"),
      json.getBoolean("emit_analysis", false), json.getLong("deadline"), json.getString("caller"),
      json.getString("recipe"), null, json.getBoolean("whole", false));
  }
}
