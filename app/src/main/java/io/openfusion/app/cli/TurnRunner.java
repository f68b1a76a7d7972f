package io.openfusion.app.cli;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * Drives one streamed turn on the command's own thread: takes the events the HTTP reader queued, keeps the
 * progress line up to date until the answer starts, prints the answer as it streams, and reports how the turn
 * ended. Nothing here blocks an event loop.
 */
final class TurnRunner {

  enum Status { DONE, FAILED, CANCELLED }

  /**
   * @param text    the answer as received (raw Markdown)
   * @param usage   the {@code usage} event, or null
   * @param failure why it failed, for {@link Status#FAILED}
   */
  record Outcome(Status status, String text, JsonObject usage, ApiFailure failure) {
  }

  private TurnRunner() {
  }

  /**
   * @param beforeAnswer runs once, right before the first answer text is printed (e.g. a header)
   */
  static Outcome run(Turn turn, ProgressLine progress, AnswerPrinter printer, Runnable beforeAnswer)
    throws InterruptedException {
    StringBuilder text = new StringBuilder();
    JsonObject usage = null;
    progress.start();
    while (true) {
      TurnEvent event = turn.next(100);
      if (event == null) {
        if (!printer.started()) {
          progress.tick();
        }
        continue;
      }
      if (event instanceof TurnEvent.Progress p) {
        if (!printer.started()) {
          progress.event(p.payload());
        }
      } else if (event instanceof TurnEvent.Content c) {
        if (!printer.started()) {
          progress.clear();
          beforeAnswer.run();
        }
        printer.append(c.text());
        text.append(c.text());
      } else if (event instanceof TurnEvent.Usage u) {
        usage = u.payload();
      } else if (event instanceof TurnEvent.Done) {
        printer.finish();
        progress.clear();
        return new Outcome(Status.DONE, text.toString(), usage, null);
      } else if (event instanceof TurnEvent.Failed f) {
        printer.finish();
        progress.clear();
        return new Outcome(Status.FAILED, text.toString(), usage, f.failure());
      } else if (event instanceof TurnEvent.Cancelled) {
        printer.finish();
        progress.clear();
        return new Outcome(Status.CANCELLED, text.toString(), usage, null);
      }
    }
  }

  /** {@code · 1,234 tokens (panel 900, judge 334) · $0.00123}, or null without usage. */
  static String usageLine(JsonObject usage) {
    if (usage == null || !(usage.getValue("total") instanceof JsonObject total)) {
      return null;
    }
    StringBuilder line = new StringBuilder("· ").append(tokens(total)).append(" tokens");
    if (usage.getValue("panel_total") instanceof JsonObject panel && usage.getValue("judge") instanceof JsonObject judge) {
      line.append(" (panel ").append(tokens(panel)).append(", judge ").append(tokens(judge)).append(')');
    }
    if (total.getValue("cost") instanceof Number cost) {
      line.append(" · $").append(String.format(Locale.ROOT, "%.5f", cost.doubleValue()));
    }
    if (Boolean.TRUE.equals(usage.getValue("cached"))) {
      line.append(" · cached");
    }
    return line.toString();
  }

  private static String tokens(JsonObject usage) {
    Object n = usage.getValue("total_tokens");
    long value = n instanceof Number num ? num.longValue() : 0;
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** The message for a failed turn, with a hint when the key looks wrong. */
  static String describe(ApiFailure failure, boolean chat) {
    String message = failure.getMessage();
    if (failure.looksLikeKeyProblem()) {
      message += chat
        ? "\n  the key may be invalid or out of credit — /key to re-enter it"
        : "\n  the key may be invalid or out of credit — set OPENROUTER_API_KEY or run `openfusion setup`";
    }
    return message;
  }
}
