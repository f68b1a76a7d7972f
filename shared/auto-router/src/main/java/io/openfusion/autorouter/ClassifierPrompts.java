package io.openfusion.autorouter;

import io.openfusion.shared.config.RouteModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The two classifier prompts and the request body that carries them. */
final class ClassifierPrompts {

  /** The user text sent to the classifier is cut to this many characters: enough to judge, cheap to send. */
  static final int MAX_USER_CHARS = 4000;
  /** Output cap for the model-pick prompt: a model id takes more tokens than one word. */
  static final int MODEL_PICK_MAX_TOKENS = 24;

  static final String FUSE_OR_SOLO = "You triage requests for an AI gateway. Some requests deserve a panel of"
    + " several expert models whose answers are combined: answer FUSE for open-ended research, analysis or"
    + " design, and for questions where a wrong answer would be costly. Others are handled well by one model:"
    + " answer SOLO for simple, factual or trivial requests. Answer with one word only: FUSE or SOLO.";

  private ClassifierPrompts() {
  }

  /** The prompt that asks for FUSE or the cheapest adequate model among {@code models}. */
  static String modelPick(List<RouteModel> models) {
    StringBuilder prompt = new StringBuilder("You triage requests for an AI gateway. Answer FUSE when the"
      + " request is hard or open-ended enough to deserve a panel of expert models whose answers are combined."
      + " Otherwise answer with the exact id of the cheapest model below that will still handle it well."
      + " Models (fast = cheapest, strong = most capable):\n");
    for (RouteModel model : models) {
      prompt.append("- ").append(model.model()).append(" (").append(model.tier()).append(")\n");
    }
    return prompt.append("\nAnswer with FUSE or one model id and nothing else.").toString();
  }

  /** A non-streamed, deterministic chat body: system prompt, the (truncated) user text, a small output cap. */
  static JsonObject body(String model, String system, String userText, int maxTokens) {
    return new JsonObject()
      .put("model", model)
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", system))
        .add(new JsonObject().put("role", "user").put("content", PromptText.truncate(userText, MAX_USER_CHARS))))
      .put("temperature", 0)
      .put("max_tokens", maxTokens)
      .put("stream", false);
  }
}
