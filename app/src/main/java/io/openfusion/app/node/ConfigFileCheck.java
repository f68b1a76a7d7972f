package io.openfusion.app.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Start-up check: a config file that holds literal keys should not be readable by other users.
 * Values written as {@code ${VAR}} come from the environment and are fine.
 */
public final class ConfigFileCheck {

  private static final Pattern LITERAL_KEY = Pattern.compile("(?m)^\\s*-?\\s*(api_key|api_keys)\\s*:\\s*(?!\\s*(\\$\\{|\"\"|''|$|#|\\[\\s*]))");

  private ConfigFileCheck() {
  }

  /** A warning to print, or empty when the file is private, holds no literal key, or is not a file. */
  public static Optional<String> warning(String source) {
    if (source == null || !source.startsWith("/")) {
      return Optional.empty();
    }
    Path file = Path.of(source);
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      boolean shared = permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
      if (shared && LITERAL_KEY.matcher(Files.readString(file)).find()) {
        return Optional.of("warning: " + file + " holds API keys and is readable by other users; run: chmod 600 " + file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system, or unreadable: nothing useful to say
    }
    return Optional.empty();
  }
}
