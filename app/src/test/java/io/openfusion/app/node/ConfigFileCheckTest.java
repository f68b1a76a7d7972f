package io.openfusion.app.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigFileCheckTest {

  @TempDir
  Path dir;

  private Path write(String text, String permissions) throws Exception {
    Path file = dir.resolve("openfusion.yaml");
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void warnsAboutALiteralKeyInAWorldReadableFile() throws Exception {
    Path file = write("panel:\n  - base_url: https://x\n    api_key: sk-live-123\n    model: m\n", "rw-r--r--");
    assertThat(ConfigFileCheck.warning(file.toString())).get().asString().contains("chmod 600");
  }

  @Test
  void staysQuietForPrivateFilesAndEnvironmentReferences() throws Exception {
    Path secret = write("panel:\n  - api_key: sk-live-123\n", "rw-------");
    assertThat(ConfigFileCheck.warning(secret.toString())).isEmpty();
    Path env = write("panel:\n  - api_key: ${OPENROUTER_API_KEY}\n  - api_key: \"\"\n", "rw-r--r--");
    assertThat(ConfigFileCheck.warning(env.toString())).isEmpty();
    assertThat(ConfigFileCheck.warning("zero-config")).isEmpty();
  }
}
