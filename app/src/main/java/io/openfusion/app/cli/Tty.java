package io.openfusion.app.cli;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * Asks the operating system whether stdin, stdout or stderr is a terminal, and how wide it is. Java only
 * knows whether stdin <em>and</em> stdout are both terminals ({@code System.console()}); JLine's terminal
 * providers can tell each stream apart. Any failure counts as "not a terminal".
 */
public final class Tty {

  private static final String[] PROVIDERS = {"jni", "exec"};
  private static volatile TerminalProvider provider;
  private static volatile boolean probed;

  private Tty() {
  }

  public static boolean stdin() {
    return is(SystemStream.Input);
  }

  public static boolean stdout() {
    return is(SystemStream.Output);
  }

  public static boolean stderr() {
    return is(SystemStream.Error);
  }

  /** Columns of the terminal on stdout, or {@code fallback} when it is not a terminal or unknown. */
  public static int stdoutWidth(int fallback) {
    TerminalProvider p = provider();
    if (p == null) {
      return fallback;
    }
    try {
      int width = p.isSystemStream(SystemStream.Output) ? p.systemStreamWidth(SystemStream.Output) : 0;
      return width > 0 ? width : fallback;
    } catch (RuntimeException | LinkageError e) {
      return fallback;
    }
  }

  private static boolean is(SystemStream stream) {
    TerminalProvider p = provider();
    if (p == null) {
      return false;
    }
    try {
      return p.isSystemStream(stream);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static TerminalProvider provider() {
    if (!probed) {
      synchronized (Tty.class) {
        if (!probed) {
          for (String name : PROVIDERS) {
            try {
              TerminalProvider candidate = TerminalProvider.load(name);
              candidate.isSystemStream(SystemStream.Output);
              provider = candidate;
              break;
            } catch (Exception | LinkageError e) {
              // try the next provider
            }
          }
          probed = true;
        }
      }
    }
    return provider;
  }
}
