package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * How a synthesis ended, on the last {@link SynthesisPart}.
 *
 * @param usage        the judge call's usage, or null
 * @param finishReason the judge's finish reason, or null
 * @param analysis     the parsed analysis trailer, or null
 * @param error        the OpenAI error object when the judge failed after some text was sent, else null (a judge that
 *                     fails before sending any text fails the request instead)
 */
public record SynthesisResult(JsonObject usage, String finishReason, JsonObject analysis, JsonObject error) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("usage", usage)
      .put("finish_reason", finishReason)
      .put("analysis", analysis)
      .put("error", error);
  }

  public static SynthesisResult fromJson(JsonObject json) {
    return new SynthesisResult(json.getJsonObject("usage"), json.getString("finish_reason"), json.getJsonObject("analysis"),
      json.getJsonObject("error"));
  }
}
