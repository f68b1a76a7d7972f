package io.openfusion.router.fusion;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The {@code event: progress} and {@code event: panel_answer} payloads of a fused stream. */
final class ProgressEvents {

  private ProgressEvents() {
  }

  static JsonObject panel(List<String> models, String judgeModel) {
    int total = models.size();
    return new JsonObject()
      .put("stage", "panel")
      .put("message", "Querying " + total + (total == 1 ? " model" : " models"))
      .put("models", new JsonArray(List.copyOf(models)))
      .put("total", total)
      .put("judge", judgeModel);
  }

  static JsonObject member(MemberOutcome outcome, int completed, int total) {
    JsonObject event = new JsonObject()
      .put("stage", "panel_member")
      .put("model", outcome.model())
      .put("label", outcome.label())
      .put("ok", outcome.ok())
      .put("completed", completed)
      .put("total", total);
    if (outcome.ok()) {
      event.put("latency_ms", outcome.answer().latencyMs());
    } else {
      event.put("error", outcome.error().getMessage());
      if (outcome.cut()) {
        event.put("cut", true);
      }
    }
    return event;
  }

  static JsonObject panelAnswer(MemberOutcome outcome) {
    return new JsonObject()
      .put("model", outcome.answer().model())
      .put("label", outcome.label())
      .put("content", outcome.answer().content());
  }

  static JsonObject synthesis(String judgeModel, int ok, int failed) {
    return new JsonObject()
      .put("stage", "synthesis")
      .put("message", "Synthesizing with " + judgeModel)
      .put("panel_count", ok)
      .put("failed_count", failed);
  }
}
