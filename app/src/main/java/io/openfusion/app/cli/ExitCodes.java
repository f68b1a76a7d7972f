package io.openfusion.app.cli;

/** The exit codes every command documents. */
public final class ExitCodes {

  /** Success. */
  public static final int OK = 0;
  /** A runtime or configuration error: bad config, no key, an upstream or server error. */
  public static final int ERROR = 1;
  /** A usage error: unknown command, bad option or missing argument. */
  public static final int USAGE = 2;
  /** Interrupted with Ctrl-C (128 + SIGINT). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {
  }
}
