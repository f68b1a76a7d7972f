package io.openfusion.router.fusion;

import io.openfusion.shared.config.PipelineStep;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A pipeline step's messages: the step's own system prompt (with {@code {step}} placeholders filled from
 * earlier steps' outputs) or, without one, the earlier outputs as context; then the client's conversation.
 */
final class PipelinePrompt {

  private PipelinePrompt() {
  }

  static JsonArray messages(PipelineStep step, JsonArray conversation, Map<String, String> outputs) {
    JsonArray messages = new JsonArray();
    String system = system(step, outputs);
    if (system != null) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    conversation.forEach(messages::add);
    return messages;
  }

  static String system(PipelineStep step, Map<String, String> outputs) {
    if (step.system() != null) {
      String filled = step.system();
      for (Map.Entry<String, String> output : outputs.entrySet()) {
        filled = filled.replace("{" + output.getKey() + "}", output.getValue());
      }
      return filled;
    }
    if (outputs.isEmpty()) {
      return null;
    }
    StringBuilder context = new StringBuilder("Context from previous steps:");
    outputs.forEach((name, text) -> context.append("\n\n[").append(name).append(" output]\n").append(text));
    return context.toString();
  }
}
