package io.openfusion.shared.config.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

  @TempDir
  Path tmp;

  private Path home;
  private ConfigContext ctx;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(tmp.resolve("home"));
    ctx = new ConfigContext(null, Map.of(), tmp, home);
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void defaultPathIsUnderDotConfig() {
    assertThat(Credentials.path(ctx)).isEqualTo(home.resolve(".config/openfusion/credentials"));
  }

  @Test
  void xdgConfigHomeWinsWhenAbsolute() {
    Path xdg = tmp.resolve("xdg");
    assertThat(Credentials.path(ctx.withEnv(Map.of("XDG_CONFIG_HOME", xdg.toString()))))
        .isEqualTo(xdg.resolve("openfusion/credentials"));
    assertThat(Credentials.path(ctx.withEnv(Map.of("XDG_CONFIG_HOME", "relative/dir"))))
        .as("relative XDG values are ignored per the spec")
        .isEqualTo(home.resolve(".config/openfusion/credentials"));
  }

  @Test
  void roundTrip() throws IOException {
    assertThat(Credentials.load(ctx)).isEmpty();
    Credentials.save(ctx, "  sk-or-123 \n");
    assertThat(Files.readString(Credentials.path(ctx))).isEqualTo("sk-or-123\n");
    assertThat(Credentials.load(ctx)).contains("sk-or-123");
    Credentials.save(ctx, "sk-or-456");
    assertThat(Credentials.load(ctx)).contains("sk-or-456");
  }

  @Test
  void fileAndDirectoryAreOwnerOnly() throws IOException {
    assumeTrue(posix(tmp));
    Credentials.save(ctx, "sk-or-123");
    assertThat(mode(Credentials.path(ctx))).isEqualTo("rw-------");
    assertThat(mode(Credentials.path(ctx).getParent())).isEqualTo("rwx------");
  }

  @Test
  void aWorldReadableFileIsReplacedByAPrivateOne() throws IOException {
    assumeTrue(posix(tmp));
    Path file = Credentials.path(ctx);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "old\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Credentials.save(ctx, "new");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Credentials.load(ctx)).contains("new");
  }

  @Test
  void saveIsAnAtomicRenameThatLeavesNoTempFiles() throws IOException {
    assumeTrue(posix(tmp));
    Credentials.save(ctx, "first");
    Path file = Credentials.path(ctx);
    Object inodeBefore = Files.getAttribute(file, "unix:ino");
    Credentials.save(ctx, "second");
    // A new inode means the file was replaced by a rename, not rewritten in place (which a crash
    // could leave half-written).
    assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(inodeBefore);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void blankKeysAreNotSaved() throws IOException {
    Credentials.save(ctx, "   ");
    Credentials.save(ctx, null);
    assertThat(Files.exists(Credentials.path(ctx))).isFalse();
    Credentials.save(ctx, "keep");
    Credentials.save(ctx, "");
    assertThat(Credentials.load(ctx)).contains("keep");
  }

  @Test
  void multiLineKeysAreRejected() {
    assertThatThrownBy(() -> Credentials.save(ctx, "a\nb")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyOrBlankFileCountsAsAbsent() throws IOException {
    Path file = Credentials.path(ctx);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
    assertThat(Credentials.load(ctx)).isEmpty();
    Files.writeString(file, " \n\n");
    assertThat(Credentials.load(ctx)).isEmpty();
  }

  @Test
  void clearIsIdempotent() throws IOException {
    Credentials.save(ctx, "k");
    assertThat(Credentials.clear(ctx)).isTrue();
    assertThat(Credentials.clear(ctx)).isFalse();
    assertThat(Credentials.load(ctx)).isEmpty();
  }
}
