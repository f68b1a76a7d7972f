package io.openfusion.app.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;

/**
 * The progress of a turn on stderr. On a terminal it is one live line with a spinner that is rewritten in
 * place and erased before the answer prints; elsewhere (a log file, a pipe) it is a few plain lines such as
 * {@code · querying panel (3 models)…}, {@code · 3 answered}, {@code · synthesizing…}.
 */
final class ProgressLine {

  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

  private final PrintStream err;
  private final boolean live;
  private final boolean color;
  private final ProgressState state = new ProgressState();
  private String text = "waiting for the panel…";
  private int frame;
  private boolean shown;
  private boolean summarized;

  /**
   * @param live  rewrite one line in place (stderr is a terminal that understands cursor control)
   * @param color use colour on that line
   */
  ProgressLine(PrintStream err, boolean live, boolean color) {
    this.err = err;
    this.live = live;
    this.color = color;
  }

  /** Shows the line before the first event (live mode only). */
  void start() {
    if (live) {
      draw();
    }
  }

  void event(JsonObject event) {
    String previousStage = state.stage();
    String next = state.apply(event);
    if (next != null) {
      text = next;
    }
    if (live) {
      draw();
      return;
    }
    String stage = state.stage();
    if ("panel".equals(stage)) {
      int total = event.getValue("total") instanceof Number n ? n.intValue() : 0;
      err.println("· querying panel (" + total + (total == 1 ? " model" : " models") + ")…");
    } else if ("panel_member".equals(stage)) {
      return;
    } else {
      if ("panel_member".equals(previousStage) || "panel".equals(previousStage)) {
        summary();
      }
      if (!stage.equals(previousStage) || !"debate_member".equals(stage)) {
        err.println("· " + text);
      }
    }
    err.flush();
  }

  /** Advances the spinner (live mode). */
  void tick() {
    if (live && shown) {
      frame++;
      draw();
    }
  }

  /** Erases the live line (before the answer or a message prints); plain mode prints the panel summary once. */
  void clear() {
    if (live) {
      if (shown) {
        err.print("\r\033[2K");
        err.flush();
        shown = false;
      }
    } else if (state.panelStarted() && "panel_member".equals(state.stage())) {
      summary();
      err.flush();
    }
  }

  /** A permanent line (cancelled, usage), printed below any progress. */
  void note(String line) {
    clear();
    err.println(color ? "\033[2m" + line + "\033[22m" : line);
    err.flush();
  }

  private void summary() {
    if (!summarized && state.panelStarted()) {
      summarized = true;
      err.println("· " + state.panelSummary());
    }
  }

  private void draw() {
    String spinner = SPINNER[frame % SPINNER.length];
    String line = color ? "\033[35m" + spinner + "\033[39m \033[2m" + text + "\033[22m" : spinner + " " + text;
    err.print("\r\033[2K" + line);
    err.flush();
    shown = true;
  }
}
