package io.openfusion.shared.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * router → judge ({@link Addresses#JUDGE_SYNTHESIZE}): synthesize one answer from the panel's answers.
 * When {@code stream} is set the judge sends content chunks to {@code streamTo}, numbered from
 * {@code firstSeq}; the reply is a {@link SynthesisResult} either way.
 *
 * @param messages the client's whole conversation, system prompt included
 * @param params   the client's sampling parameters (no messages, model, stream or tool fields)
 * @param answers  {@code [{"label","content"}]} of the members that answered
 * @param chunk    {@code {"id","created","model"}} every content chunk of this response shares
 * @param caller   who asked, for the caller's playground key
 */
public record SynthesisCommand(String requestId, boolean stream, String streamTo, int firstSeq, UpstreamRef judge,
                               JsonArray messages, JsonObject params, JsonArray answers, boolean emitAnalysis,
                               JsonObject chunk, long deadline, String caller) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("request_id", requestId)
      .put("stream", stream)
      .put("stream_to", streamTo)
      .put("first_seq", firstSeq)
      .put("judge", judge.toJson())
      .put("messages", messages)
      .put("params", params)
      .put("answers", answers)
      .put("emit_analysis", emitAnalysis)
      .put("chunk", chunk)
      .put("deadline", deadline)
      .put("caller", caller);
  }

  public static SynthesisCommand fromJson(JsonObject json) {
    return new SynthesisCommand(json.getString("request_id"), json.getBoolean("stream", false), json.getString("stream_to"),
      json.getInteger("first_seq", 0), UpstreamRef.fromJson(json.getJsonObject("judge")), json.getJsonArray("messages"),
      json.getJsonObject("params", new JsonObject()), json.getJsonArray("answers"), json.getBoolean("emit_analysis", false),
      json.getJsonObject("chunk"), json.getLong("deadline"), json.getString("caller"));
  }
}
