package io.openfusion.app.cli;

import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.ConfigLoader;
import io.openfusion.shared.config.loading.Credentials;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code openfusion setup} in scripted mode, and where the key comes from afterwards. */
class SetupAndCredentialsTest {

  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static OpenFusionConfig load(ConfigContext ctx) {
    return ConfigLoader.load(vertx, ctx).await();
  }

  @Test
  void scriptedSetupWritesAPresetRecipeAndSavesTheKey() throws IOException {
    Cli cli = new Cli(dir).stdin("sk-or-v1-secret\n2\n");

    int exit = cli.run("setup");

    assertThat(exit).as(cli.err()).isEqualTo(ExitCodes.OK);
    Path yaml = cli.cwd.resolve("openfusion.yaml");
    assertThat(mode(yaml)).isEqualTo("rw-------");
    assertThat(Files.readString(yaml)).contains("\npreset: quality\n").doesNotContain("sk-or-v1-secret");
    Path saved = Credentials.path(cli.ctx(null));
    assertThat(saved).isEqualTo(cli.home.resolve(".config/openfusion/credentials"));
    assertThat(Files.readString(saved)).isEqualTo("sk-or-v1-secret\n");
    assertThat(mode(saved)).isEqualTo("rw-------");
    assertThat(mode(saved.getParent())).isEqualTo("rwx------");
    assertThat(cli.out()).contains("preset: quality", "key saved to", "checked: strategy panel");

    // the written file loads as the quality preset's panel, with the saved key on every OpenRouter entry
    OpenFusionConfig config = load(cli.ctx(null));
    assertThat(config.preset()).isEqualTo(Presets.QUALITY);
    assertThat(config.strategy()).isEqualTo(Strategy.PANEL);
    assertThat(config.panel()).extracting(UpstreamConfig::model).containsExactlyElementsOf(Presets.panelModels(Presets.QUALITY));
    assertThat(config.judge().upstream().model()).isEqualTo(Presets.judgeModel(Presets.QUALITY));
    assertThat(config.panel()).extracting(UpstreamConfig::apiKey).containsOnly("sk-or-v1-secret");
    assertThat(config.anyUpstreamKeyMissing()).isFalse();
  }

  @Test
  void theEnvironmentKeyBeatsTheSavedKey() throws IOException {
    Cli cli = new Cli(dir).stdin("sk-or-saved\n\n");
    assertThat(cli.run("setup")).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(cli.cwd.resolve("openfusion.yaml"))).contains("\npreset: budget\n");

    OpenFusionConfig saved = load(cli.ctx(null));
    assertThat(saved.panel()).extracting(UpstreamConfig::apiKey).containsOnly("sk-or-saved");
    assertThat(saved.panel()).extracting(UpstreamConfig::model).containsExactlyElementsOf(Presets.panelModels(Presets.BUDGET));

    cli.env("OPENROUTER_API_KEY", "sk-or-from-env");
    OpenFusionConfig fromEnv = load(cli.ctx(null));
    assertThat(fromEnv.panel()).extracting(UpstreamConfig::apiKey).containsOnly("sk-or-from-env");
    assertThat(fromEnv.judge().upstream().apiKey()).isEqualTo("sk-or-from-env");
  }

  @Test
  void anExistingFileIsKeptUnlessTheUserSaysYes() throws IOException {
    Cli first = new Cli(dir).stdin("sk-or-one\n1\n");
    assertThat(first.run("setup")).isEqualTo(ExitCodes.OK);
    Path yaml = first.cwd.resolve("openfusion.yaml");

    Cli keep = new Cli(dir).stdin("n\n");
    assertThat(keep.run("setup")).isEqualTo(ExitCodes.OK);
    assertThat(keep.out()).contains("kept the existing openfusion.yaml");
    assertThat(keep.err()).contains("Overwrite? [y/N]");
    assertThat(Files.readString(yaml)).contains("preset: budget");

    Cli overwrite = new Cli(dir).stdin("y\nsk-or-two\nquality\n");
    assertThat(overwrite.run("setup")).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(yaml)).contains("preset: quality");
    assertThat(mode(yaml)).isEqualTo("rw-------");
    assertThat(Files.readString(Credentials.path(overwrite.ctx(null)))).isEqualTo("sk-or-two\n");
  }

  @Test
  void noKeyAndNoSavedKeyWritesNothing() throws IOException {
    Cli cli = new Cli(dir).stdin("\n1\n");
    assertThat(cli.run("setup")).isEqualTo(ExitCodes.ERROR);
    assertThat(cli.err()).contains("no key entered");
    assertThat(cli.cwd.resolve("openfusion.yaml")).doesNotExist();
  }

  @Test
  void anUnknownChoiceIsAUsageError() throws IOException {
    Cli cli = new Cli(dir).stdin("sk-or-x\n7\n");
    assertThat(cli.run("setup", "--config", "custom.yaml")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("unknown recipe choice '7'");
    assertThat(cli.cwd.resolve("custom.yaml")).doesNotExist();
  }

  @Test
  void credentialsAreSavedPrivatelyAndAtomically() throws IOException {
    Cli cli = new Cli(dir);
    ConfigContext ctx = cli.ctx(null);
    Path file = Credentials.path(ctx);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "old\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Credentials.save(ctx, "  sk-or-new  ");

    assertThat(Files.readString(file)).isEqualTo("sk-or-new\n");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Credentials.load(ctx)).contains("sk-or-new");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("credentials");
    }
  }
}
