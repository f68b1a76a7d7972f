package io.openfusion.shared.config.loading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The saved upstream key (the OpenRouter key entered in {@code openfusion setup} or the CLI).
 *
 * <p>It lives in {@code $XDG_CONFIG_HOME/openfusion/credentials}, or
 * {@code ~/.config/openfusion/credentials} when {@code XDG_CONFIG_HOME} is unset, as one line
 * with mode 0600. An {@code OPENROUTER_API_KEY} in the environment always wins over it.
 *
 * <p><b>Blocking:</b> this class uses plain {@code java.nio} file I/O. Call it from {@code main},
 * CLI or startup code, from a worker ({@code vertx.executeBlocking}) or from tests, never from an
 * event-loop thread.
 */
public final class Credentials {

  static final String DIR_NAME = "openfusion";
  static final String FILE_NAME = "credentials";

  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  private Credentials() {
  }

  /**
   * @return where the key is (or would be) stored for this context
   */
  public static Path path(ConfigContext ctx) {
    // The XDG spec says relative values must be ignored.
    String xdg = ctx.envValue("XDG_CONFIG_HOME");
    Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : ctx.homeDir().resolve(".config");
    return base.resolve(DIR_NAME).resolve(FILE_NAME);
  }

  /**
   * Reads the saved key. A missing, empty or unreadable file counts as "no key": the caller then
   * asks for one, which is the right outcome in all three cases.
   *
   * @return the key, trimmed, or empty
   */
  public static Optional<String> load(ConfigContext ctx) {
    Path file = path(ctx);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String key = line.trim();
        if (!key.isEmpty()) {
          return Optional.of(key);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Saves the key atomically with mode 0600: it is written to a temporary file that is created
   * 0600 in the same directory and then renamed over the old file, so a crash never leaves a
   * half-written or world-readable key. Missing parent directories are created (the
   * {@code openfusion} directory with mode 0700). A blank key is not saved.
   *
   * @param key the key; surrounding whitespace is removed
   * @throws IllegalArgumentException if the key spans several lines
   * @throws IOException              if the file cannot be written
   */
  public static void save(ConfigContext ctx, String key) throws IOException {
    if (key == null || key.isBlank()) {
      return;
    }
    String trimmed = key.trim();
    if (trimmed.indexOf('\n') >= 0 || trimmed.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("an API key must be a single line");
    }
    Path file = path(ctx);
    Path dir = file.getParent();
    createPrivateDir(dir);
    Path tmp = Files.createTempFile(dir, "." + FILE_NAME + "-", ".tmp", ownerOnly(dir, FILE_MODE));
    try {
      Files.writeString(tmp, trimmed + "\n", StandardCharsets.UTF_8);
      restrict(tmp);
      moveIntoPlace(tmp, file);
      // Belt and braces: the rename keeps the temp file's mode, but a pre-existing file with a
      // wider mode on a filesystem that ignores creation modes is fixed here.
      restrict(file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Deletes the saved key.
   *
   * @return true if a file was deleted, false if there was none
   */
  public static boolean clear(ConfigContext ctx) throws IOException {
    return Files.deleteIfExists(path(ctx));
  }

  private static void createPrivateDir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, ownerOnly(parent, DIR_MODE));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  private static void moveIntoPlace(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void restrict(Path file) throws IOException {
    if (isPosix(file)) {
      Files.setPosixFilePermissions(file, FILE_MODE);
    }
  }

  /** Creation-time permissions where the filesystem supports them (not on Windows). */
  private static FileAttribute<?>[] ownerOnly(Path where, Set<PosixFilePermission> mode) {
    if (where != null && isPosix(where)) {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
    }
    return new FileAttribute<?>[0];
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
