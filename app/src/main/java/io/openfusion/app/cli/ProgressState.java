package io.openfusion.app.cli;

import io.vertx.core.json.JsonObject;

/** Turns the stream's {@code progress} events into one short status text, e.g. "querying panel · 2/3 answered". */
final class ProgressState {

  private String stage;
  private int total;
  private int completed;
  private int failed;
  private String text;

  /**
   * Applies an event.
   *
   * @return the new status text
   */
  String apply(JsonObject event) {
    String next = event.getValue("stage") instanceof String s ? s : "";
    String message = event.getValue("message") instanceof String m ? m : null;
    stage = next;
    switch (next) {
      case "panel" -> {
        total = intOf(event, "total", 0);
        completed = 0;
        failed = 0;
        text = panelText();
      }
      case "panel_member" -> {
        total = intOf(event, "total", total);
        completed = intOf(event, "completed", completed + 1);
        if (Boolean.FALSE.equals(event.getValue("ok"))) {
          failed++;
        }
        text = panelText();
      }
      case "debate" -> text = "debate round " + intOf(event, "round", 1) + "/" + intOf(event, "rounds", 1);
      case "debate_member" -> text = "debate round " + intOf(event, "round", 1) + " · "
        + intOf(event, "completed", 0) + "/" + intOf(event, "total", 0) + " revised";
      case "synthesis" -> text = "synthesizing…";
      case "vote" -> text = "voting…";
      case "ranked" -> text = "ranking answers…";
      case "pipeline_step" -> text = message != null ? lowerFirst(message) + "…" : "next step…";
      default -> text = message != null ? lowerFirst(message) : text;
    }
    return text;
  }

  String stage() {
    return stage;
  }

  String text() {
    return text;
  }

  /** "3 answered" or "2 answered, 1 failed", once a panel ran. */
  String panelSummary() {
    int answered = completed - failed;
    return answered + " answered" + (failed > 0 ? ", " + failed + " failed" : "");
  }

  boolean panelStarted() {
    return total > 0;
  }

  private String panelText() {
    return "querying panel · " + (completed - failed) + "/" + total + " answered" + (failed > 0 ? ", " + failed + " failed" : "");
  }

  private static int intOf(JsonObject event, String key, int fallback) {
    return event.getValue(key) instanceof Number n ? n.intValue() : fallback;
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
