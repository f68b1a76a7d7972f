package io.openfusion.app.cli;

import org.jline.utils.AttributedString;

/** The few ANSI SGR sequences the terminal output uses, and the visible width of styled text. */
final class Ansi {

  static final String RESET = "\033[0m";
  static final String BOLD = "\033[1m";
  static final String DIM = "\033[2m";
  static final String ITALIC = "\033[3m";
  static final String UNDERLINE = "\033[4m";
  static final String RED = "\033[31m";
  static final String GREEN = "\033[32m";
  static final String YELLOW = "\033[33m";
  static final String BLUE = "\033[34m";
  static final String MAGENTA = "\033[35m";
  static final String CYAN = "\033[36m";

  private Ansi() {
  }

  /** Terminal columns {@code text} takes, ignoring escape sequences and counting wide characters twice. */
  static int width(String text) {
    return AttributedString.fromAnsi(text).columnLength();
  }

  /** {@code text} without escape sequences. */
  static String strip(String text) {
    return AttributedString.fromAnsi(text).toString();
  }
}
