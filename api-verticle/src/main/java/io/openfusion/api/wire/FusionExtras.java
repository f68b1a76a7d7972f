package io.openfusion.api.wire;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a chat answer carries beyond the standard fields, gathered for the one extra top-level {@code openfusion}
 * object other APIs' final objects get (their SDKs ignore unknown fields; Responses {@code metadata} only holds
 * strings, so it is left to the client): the usage with its {@code cost}, the fused run's usage report (panel, judge,
 * total), the panel's answers when exposed and the judge's analysis. In a chat stream these travel as SSE comments
 * ({@code : usage {...}}) or, for clients that asked, named events; both are read.
 */
public final class FusionExtras {

  private JsonObject usage;
  private JsonObject report;
  private JsonArray panelAnswers;
  private JsonObject analysis;

  /**
   * Takes a comment's text when it is one of the extras ({@code usage {...}}, {@code panel_answer {...}},
   * {@code analysis {...}}); progress and keep-alives are ignored.
   */
  public void comment(String text) {
    int space = text.indexOf(' ');
    if (space > 0) {
      event(text.substring(0, space), text.substring(space + 1));
    }
  }

  /** Takes a named event's data when the event is one of the extras. */
  public void event(String name, String json) {
    if (!json.startsWith("{")) {
      return;
    }
    switch (name) {
      case "usage" -> report = parse(json);
      case "panel_answer" -> {
        JsonObject answer = parse(json);
        if (answer != null) {
          if (panelAnswers == null) {
            panelAnswers = new JsonArray();
          }
          panelAnswers.add(answer);
        }
      }
      case "analysis" -> analysis = parse(json);
      default -> {
        // progress and anything newer: not part of a final object
      }
    }
  }

  /** The request's usage in chat form (with {@code cost} when known). */
  public void usage(JsonObject chatUsage) {
    if (chatUsage != null) {
      usage = chatUsage;
    }
  }

  public void analysis(JsonObject value) {
    if (value != null) {
      analysis = value;
    }
  }

  /** @return {@code {"usage", "usage_report", "panel_answers", "analysis"}} with what is known, or null for nothing */
  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    if (usage != null) {
      out.put("usage", usage);
    }
    if (report != null) {
      out.put("usage_report", report);
    }
    if (panelAnswers != null) {
      out.put("panel_answers", panelAnswers);
    }
    if (analysis != null) {
      out.put("analysis", analysis);
    }
    return out.isEmpty() ? null : out;
  }

  private static JsonObject parse(String json) {
    try {
      return new JsonObject(json);
    } catch (DecodeException malformed) {
      return null;
    }
  }
}
