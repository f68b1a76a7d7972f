package io.openfusion.app.cli;

import org.jline.utils.Signals;

/**
 * Ctrl-C (SIGINT) handling for commands that run without a line editor: while a request is in flight, Ctrl-C
 * cancels it instead of killing the JVM, so the command can close the connection (which cancels the upstream
 * calls) and exit with 130.
 */
final class Interrupts implements AutoCloseable {

  private final Object previous;

  private Interrupts(Object previous) {
    this.previous = previous;
  }

  static Interrupts on(Runnable handler) {
    Object previous = null;
    try {
      previous = Signals.register("INT", handler);
    } catch (RuntimeException | LinkageError e) {
      // no signal support here: Ctrl-C then ends the JVM as usual
    }
    return new Interrupts(previous);
  }

  @Override
  public void close() {
    if (previous != null) {
      try {
        Signals.unregister("INT", previous);
      } catch (RuntimeException | LinkageError e) {
        // leave it
      }
    }
  }
}
