package io.openfusion.app.cli;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.Main;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.loading.ConfigContext;
import org.jline.terminal.Terminal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code openfusion} command line in this JVM against in-memory streams, a fake environment and a
 * temporary home and working directory, and captures what it prints.
 */
final class Cli {

  final Path home;
  final Path cwd;
  final Map<String, String> env = new HashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private InputStream in = new ByteArrayInputStream(new byte[0]);
  private boolean stdinTty;
  private CliIo.TerminalFactory terminals = () -> {
    throw new IOException("no terminal in this test");
  };

  Cli(Path dir) throws IOException {
    home = Files.createDirectories(dir.resolve("home"));
    cwd = Files.createDirectories(dir.resolve("work"));
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  Cli stdin(String text) {
    in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Runs on a terminal: stdin counts as a TTY and the chat opens {@code terminal}. */
  Cli terminal(Terminal terminal) {
    stdinTty = true;
    terminals = () -> terminal;
    return this;
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  int run(String... args) {
    CliIo io = new CliIo(in, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), env, cwd, home, stdinTty, false, false, terminals);
    return Main.run(io, args);
  }

  /** What the config loader and the credentials store see in this test. */
  ConfigContext ctx(String config) {
    return new ConfigContext(config, env, cwd, home);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A panel recipe on WireMock: members {@code models}, judge {@code judge}, web tools off. */
  Path recipe(WireMockServer server, List<String> models, String judge, String... extraLines) throws IOException {
    return recipe(Upstreams.baseUrl(server), models, judge, extraLines);
  }

  Path recipe(String baseUrl, List<String> models, String judge, String... extraLines) throws IOException {
    StringBuilder yaml = new StringBuilder("strategy: panel\naggregator: judge\n")
      .append("tools: {web_search: false, web_fetch: false}\npanel:\n");
    for (String model : models) {
      yaml.append("  - base_url: ").append(baseUrl).append("\n    api_key: ").append(Upstreams.KEY)
        .append("\n    model: ").append(model).append('\n');
    }
    yaml.append("judge:\n  base_url: ").append(baseUrl).append("\n  api_key: ").append(Upstreams.KEY)
      .append("\n  model: ").append(judge).append('\n');
    for (String line : extraLines) {
      yaml.append(line).append('\n');
    }
    Path file = cwd.resolve("recipe.yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }
}
