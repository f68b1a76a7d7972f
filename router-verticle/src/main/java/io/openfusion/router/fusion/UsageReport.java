package io.openfusion.router.fusion;

import io.openfusion.shared.upstream.Usages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Token and cost accounting for one fused request: per member, panel total, judge, total. */
final class UsageReport {

  private final JsonArray panel = new JsonArray();
  private JsonObject panelTotal;
  private JsonObject judge;

  UsageReport(List<MemberOutcome> outcomes) {
    for (MemberOutcome outcome : outcomes) {
      if (outcome.ok() && outcome.answer().usage() != null) {
        panel.add(new JsonObject().put("label", outcome.label()).put("model", outcome.answer().model())
          .put("usage", outcome.answer().usage()));
        panelTotal = Usages.add(panelTotal, outcome.answer().usage());
      }
    }
  }

  void judge(JsonObject usage) {
    judge = usage;
  }

  /** Everything this request spent, or null when no upstream reported usage. */
  JsonObject total() {
    return Usages.add(panelTotal, judge);
  }

  /** The {@code event: usage} payload. */
  JsonObject event() {
    return new JsonObject()
      .put("panel", panel)
      .put("panel_total", panelTotal)
      .put("judge", judge)
      .put("total", total());
  }
}
