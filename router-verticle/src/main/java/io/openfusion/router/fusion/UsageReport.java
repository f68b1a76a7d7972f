package io.openfusion.router.fusion;

import io.openfusion.shared.chat.Usages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Token and cost accounting for one fused request: per member (debate revisions included), panel total,
 * ranker, judge, total. Members cut as stragglers are counted with an estimate of the prompt tokens
 * they were sent, flagged {@code "estimated": true}, because providers may bill a cancelled call.
 */
final class UsageReport {

  private final JsonArray panel = new JsonArray();
  private JsonObject panelTotal;
  private JsonObject ranker;
  private JsonObject judge;
  private JsonObject judgeError;

  UsageReport(List<MemberOutcome> outcomes, int promptTokenEstimate) {
    for (MemberOutcome outcome : outcomes) {
      if (outcome.ok() && outcome.answer().usage() != null) {
        add(outcome, outcome.answer().usage(), false);
      } else if (outcome.cut()) {
        add(outcome, new JsonObject().put("prompt_tokens", promptTokenEstimate).put("completion_tokens", 0)
          .put("total_tokens", promptTokenEstimate), true);
      }
    }
  }

  private void add(MemberOutcome outcome, JsonObject usage, boolean estimated) {
    JsonObject entry = new JsonObject().put("label", outcome.label()).put("model", outcome.model()).put("usage", usage);
    if (estimated) {
      entry.put("estimated", true);
    }
    panel.add(entry);
    panelTotal = Usages.add(panelTotal, usage);
  }

  void ranker(JsonObject usage) {
    ranker = usage;
  }

  /** The judge's failure, when the answer came from the panel instead. */
  void judgeError(JsonObject error) {
    judgeError = error;
  }

  void judge(JsonObject usage) {
    judge = usage;
  }

  /** Everything this request spent, or null when no upstream reported usage. */
  JsonObject total() {
    return Usages.add(Usages.add(panelTotal, ranker), judge);
  }

  /** The {@code event: usage} payload. */
  JsonObject event() {
    JsonObject event = new JsonObject()
      .put("panel", panel)
      .put("panel_total", panelTotal)
      .put("judge", judge)
      .put("total", total());
    if (ranker != null) {
      event.put("ranker", ranker);
    }
    if (judgeError != null) {
      event.put("judge_error", judgeError);
    }
    return event;
  }
}
