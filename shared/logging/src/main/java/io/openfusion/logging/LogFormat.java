package io.openfusion.logging;

import ch.qos.logback.core.PropertyDefinerBase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which console format the built-in logging uses: {@code text} (one human line per event) when the log goes to a
 * terminal, {@code json} (one JSON object per line) when it goes anywhere else: a file, a pipe, a container's log
 * collector. {@code -Dopenfusion.log.format} or {@code OPENFUSION_LOG_FORMAT} ({@code json} or {@code text})
 * decides instead. Used in {@code defaults.xml} as a {@code <define>}.
 */
public final class LogFormat extends PropertyDefinerBase {

  static final String PROPERTY = "openfusion.log.format";
  static final String ENV = "OPENFUSION_LOG_FORMAT";
  static final String JSON = "json";
  static final String TEXT = "text";

  @Override
  public String getPropertyValue() {
    String chosen = System.getProperty(PROPERTY, System.getenv(ENV));
    if (chosen != null && !chosen.isBlank()) {
      String format = chosen.strip().toLowerCase(Locale.ROOT);
      if (format.equals(JSON) || format.equals(TEXT)) {
        return format;
      }
      addWarn("unknown log format '" + chosen + "' (" + PROPERTY + " / " + ENV + "): use json or text");
    }
    return stderrIsTerminal() ? TEXT : JSON;
  }

  /** Linux tells where stderr goes; elsewhere a console means the process runs on a terminal. */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
