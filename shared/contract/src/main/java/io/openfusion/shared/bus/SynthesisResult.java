package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * judge → router: how the synthesis ended.
 *
 * @param nextSeq      the next free stream sequence number (the router writes the stream's tail from there)
 * @param content      the whole answer (also when it was streamed, so it can be cached)
 * @param usage        the judge call's usage, or null
 * @param finishReason the judge's finish reason, or null
 * @param analysis     the parsed analysis trailer, or null
 * @param error        the OpenAI error object when the judge failed after content had started, else null
 *                     (a judge that fails before sending anything fails the request instead)
 */
public record SynthesisResult(int nextSeq, String content, JsonObject usage, String finishReason, JsonObject analysis,
                              JsonObject error) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("next_seq", nextSeq)
      .put("content", content)
      .put("usage", usage)
      .put("finish_reason", finishReason)
      .put("analysis", analysis)
      .put("error", error);
  }

  public static SynthesisResult fromJson(JsonObject json) {
    return new SynthesisResult(json.getInteger("next_seq", 0), json.getString("content"), json.getJsonObject("usage"),
      json.getString("finish_reason"), json.getJsonObject("analysis"), json.getJsonObject("error"));
  }
}
