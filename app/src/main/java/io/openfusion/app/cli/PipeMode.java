package io.openfusion.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What a bare {@code openfusion} does: chat on a terminal; otherwise answer stdin once, or show the help for empty stdin. */
public final class PipeMode {

  private PipeMode() {
  }

  public static int run(CliIo io, ConnectionOptions options, Runnable help) {
    if (io.stdinTty()) {
      return ChatRepl.run(io, options);
    }
    String text;
    try {
      text = new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.error("could not read stdin: " + e.getMessage());
    }
    if (text.isBlank()) {
      help.run();
      return ExitCodes.OK;
    }
    return OneShot.run(io, options, text.strip(), false, false);
  }
}
