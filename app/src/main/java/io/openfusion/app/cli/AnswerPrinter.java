package io.openfusion.app.cli;

import java.io.PrintWriter;

/** Prints an answer as its deltas stream in. */
interface AnswerPrinter {

  void append(String delta);

  /** The answer is complete (or was cut short): flush what is pending and end the last line. */
  void finish();

  /** True once any text was printed. */
  boolean started();

  /** The raw text, printed as it arrives: for pipes, files, dumb terminals and {@code NO_COLOR}. */
  static AnswerPrinter plain(PrintWriter out) {
    return new AnswerPrinter() {
      private boolean started;
      private boolean endsWithNewline;

      @Override
      public void append(String delta) {
        if (delta.isEmpty()) {
          return;
        }
        started = true;
        out.print(delta);
        out.flush();
        endsWithNewline = delta.endsWith("\n");
      }

      @Override
      public void finish() {
        if (started && !endsWithNewline) {
          out.println();
        }
        out.flush();
      }

      @Override
      public boolean started() {
        return started;
      }
    };
  }
}
