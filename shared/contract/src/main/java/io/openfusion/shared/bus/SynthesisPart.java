package io.openfusion.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * judge → router, as replies along the {@link Addresses#JUDGE_SYNTHESIZE} chain ({@link ReplyChain}): the answer's
 * text since the last part, and with the last part how the synthesis ended. The router answers each part that is not
 * the last when it can take more text (its client's pace), which is the judge's credit.
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
