package io.openfusion.app.cli;

/** A failure that ends a command with a message for the user (no stack trace) and an exit code. */
public final class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public static CliException error(String message) {
    return new CliException(ExitCodes.ERROR, message);
  }

  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
