package io.openfusion.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing, help, version, completion and the documented exit codes. */
class CommandLineTest {

  @TempDir
  Path dir;

  @Test
  void versionPrintsTheVersionAndExitsZero() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("--version")).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).startsWith("openfusion ");
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("--help")).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("chat", "ask", "serve, web", "setup", "completion")
      .contains("Exit codes:", "0 ok · 1 runtime or config error · 2 usage error · 130 interrupted (Ctrl-C)");
  }

  @Test
  void askHelpShowsItsOptions() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("ask", "--help")).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("--json", "--estimate", "--url", "--max-tokens", "--preset", "--config");
  }

  @Test
  void anUnknownCommandIsAUsageError() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("frobnicate")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("openfusion: unknown command 'frobnicate'").contains("Usage: openfusion");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aMisspelledCommandGetsASuggestion() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("aks", "hello")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("unknown command 'aks'").contains("ask");
  }

  @Test
  void badOptionsAndMissingArgumentsAreUsageErrors() throws IOException {
    assertThat(new Cli(dir).run("ask")).isEqualTo(ExitCodes.USAGE);
    Cli notANumber = new Cli(dir);
    assertThat(notANumber.run("ask", "--max-tokens", "lots", "hi")).isEqualTo(ExitCodes.USAGE);
    assertThat(notANumber.err()).contains("--max-tokens").contains("Try 'openfusion ask --help'");
    assertThat(new Cli(dir).run("ask", "--no-such-flag", "hi")).isEqualTo(ExitCodes.USAGE);
    Cli demoAndUrl = new Cli(dir);
    assertThat(demoAndUrl.run("ask", "--demo", "--url", "http://127.0.0.1:1", "hi")).isEqualTo(ExitCodes.USAGE);
    assertThat(demoAndUrl.err()).contains("--demo");
    Cli preset = new Cli(dir);
    assertThat(preset.run("ask", "--preset", "cheap", "hi")).isEqualTo(ExitCodes.USAGE);
    assertThat(preset.err()).contains("unknown preset 'cheap'");
    Cli zero = new Cli(dir);
    assertThat(zero.run("ask", "--max-tokens", "0", "hi")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aMissingConfigFileIsARuntimeError() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("ask", "--config", "nope.yaml", "hi")).isEqualTo(ExitCodes.ERROR);
    assertThat(cli.err()).startsWith("openfusion: could not load configuration.").contains("nope.yaml");
  }

  @Test
  void bareWithEmptyStdinPrintsTheHelp() throws IOException {
    Cli cli = new Cli(dir).stdin("  \n");
    assertThat(cli.run()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("Usage: openfusion").contains("echo \"PROMPT\" | openfusion");
  }

  @Test
  void completionPrintsABashScript() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("completion")).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("complete -F").contains("openfusion").contains("ask").contains("setup");
  }

  @Test
  void theBrowserOpensOnlyForAPersonWithADisplay() {
    var display = java.util.Map.of("DISPLAY", ":0");
    assertThat(Browser.shouldOpen(true, false, display, "Linux")).isTrue();
    assertThat(Browser.shouldOpen(true, false, java.util.Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux")).isTrue();
    assertThat(Browser.shouldOpen(true, false, java.util.Map.of(), "Linux")).isFalse();
    assertThat(Browser.shouldOpen(false, false, display, "Linux")).isFalse();
    assertThat(Browser.shouldOpen(true, true, display, "Linux")).isFalse();
    assertThat(Browser.shouldOpen(true, false, java.util.Map.of("DISPLAY", ":0", "OPENFUSION_NO_OPEN", "1"), "Linux")).isFalse();
    assertThat(Browser.shouldOpen(true, false, java.util.Map.of(), "Mac OS X")).isTrue();
    assertThat(Browser.shouldOpen(true, false, java.util.Map.of(), "Windows 11")).isTrue();
  }
}
