package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * judge → router, the stream answering {@link Addresses#JUDGE_SYNTHESIZE} ({@link StreamSender} to
 * {@link StreamReceiver}): the answer's text since the last part, and with the last part how the synthesis ended. The
 * router asks for the next part when it can take more text (its client's pace), which is the judge's credit. On the
 * bus a part also carries the router's stream id ({@value StreamPost#STREAM}), which the sender writes.
 *
 * @param text   the answer's text since the last part (the analysis trailer already split off); may be empty
 * @param result how the synthesis ended, on the last part only
 */
public record SynthesisPart(String text, SynthesisResult result) {

  public boolean last() {
    return result != null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("text", text);
    return result == null ? json : json.put("result", result.toJson());
  }

  public static SynthesisPart fromJson(JsonObject json) {
    JsonObject result = json.getJsonObject("result");
    return new SynthesisPart(json.getString("text", ""), result == null ? null : SynthesisResult.fromJson(result));
  }
}
