package io.openfusion.app.cli;

import org.jline.terminal.Terminal;

import java.io.PrintWriter;

/** What the chat REPL prints besides answers: notes, errors, the banner; in colour unless the terminal or NO_COLOR says no. */
final class ReplScreen {

  private final PrintWriter out;
  private final boolean color;

  ReplScreen(PrintWriter out, boolean color) {
    this.out = out;
    this.color = color;
  }

  boolean color() {
    return color;
  }

  PrintWriter out() {
    return out;
  }

  void say(String text) {
    out.println(text);
    out.flush();
  }

  void error(String message) {
    out.println(color ? "\033[31m[error]\033[0m " + message : "[error] " + message);
    out.flush();
  }

  String dim(String text) {
    return color ? "\033[2m" + text + "\033[0m" : text;
  }

  void banner(RecipeView view) {
    String title = "openfusion — chat with a model panel";
    String top = "╭" + "─".repeat(title.length() + 4) + "╮";
    String mid = "│  " + title + "  │";
    String bottom = "╰" + "─".repeat(title.length() + 4) + "╯";
    if (color) {
      String m = "\033[35m";
      say(m + top + "\n" + mid.replace(title, "\033[1m" + title + "\033[22m") + "\n" + bottom + "\033[0m");
    } else {
      say(top + "\n" + mid + "\n" + bottom);
    }
    say("  panel   " + String.join(", ", view.panel()));
    say("  judge   " + (view.judge() == null ? "none" : view.judge()) + " · " + view.aggregator()
      + " · strategy " + view.strategy() + (view.preset() == null ? "" : " · preset " + view.preset()));
    say("  engine  " + view.where());
    say(dim("/help for commands · Ctrl-C cancels an answer · Ctrl-D to exit"));
    out.println();
    out.flush();
  }

  static boolean isDumb(Terminal terminal) {
    String type = terminal.getType();
    return type == null || type.startsWith("dumb");
  }
}
