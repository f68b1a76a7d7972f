package io.openfusion.app.cli;

import io.openfusion.app.Main;
import io.openfusion.logging.Logs;
import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.ConfigException;
import io.openfusion.shared.config.loading.ConfigLoader;
import io.openfusion.shared.config.loading.Credentials;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Vertx;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code openfusion setup}: asks for the OpenRouter key and Budget or Quality, writes an {@code openfusion.yaml}
 * that uses that preset (mode 0600, no key inside), and saves the key to the credentials file. Without a
 * terminal it reads the answers line by line from stdin, so it can be scripted:
 * {@code printf 'sk-or-...\n2\n' | openfusion setup}.
 */
@Command(name = "setup", mixinStandardHelpOptions = true, sortOptions = false,
  description = {"Save your OpenRouter key and write an openfusion.yaml for the Budget or Quality preset.",
    "Without a terminal, answers are read line by line from stdin: [overwrite?], key, choice (1 or 2)."},
  footer = {"", "Example:  printf 'sk-or-v1-...\\n2\\n' | openfusion setup"})
public final class SetupCommand implements Callable<Integer> {

  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  @ParentCommand
  Main parent;

  @Option(names = "--config", paramLabel = "FILE", description = "Where to write the recipe (default: ./openfusion.yaml).")
  String file;

  @Option(names = {"-f", "--force"}, description = "Overwrite an existing file without asking.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    CliIo io = parent.io();
    Logs.quietForCli();
    ConfigContext ctx = io.configContext(null);
    Path target = io.workingDir().resolve(file == null ? "openfusion.yaml" : file).toAbsolutePath().normalize();
    if (io.stdinTty()) {
      try (Terminal terminal = io.terminals().open()) {
        return run(io, ctx, target, new TerminalPrompts(terminal));
      }
    }
    return run(io, ctx, target, new LinePrompts(io));
  }

  private int run(CliIo io, ConfigContext ctx, Path target, Prompts prompts) throws IOException {
    PrintStream out = io.out();
    if (Files.exists(target) && !force) {
      String answer = prompts.line(target.getFileName() + " already exists (" + target + "). Overwrite? [y/N] ");
      if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
        out.println("· kept the existing " + target.getFileName() + "; nothing changed");
        return ExitCodes.OK;
      }
    }
    String key = prompts.secret("OpenRouter API key (get one at https://openrouter.ai/keys): ");
    key = key == null ? "" : key.strip();
    boolean saveKey = !key.isEmpty();
    if (!saveKey) {
      if (io.envValue("OPENROUTER_API_KEY") != null) {
        out.println("· no key entered: OPENROUTER_API_KEY from the environment will be used");
      } else if (Credentials.load(ctx).isPresent()) {
        out.println("· no key entered: keeping the key saved in " + Credentials.path(ctx));
      } else {
        io.err().println("openfusion: no key entered, nothing written.\n"
          + "  Get a key at https://openrouter.ai/keys and run `openfusion setup` again (or set OPENROUTER_API_KEY).");
        return ExitCodes.ERROR;
      }
    } else if (key.contains("\n") || key.contains(" ")) {
      throw CliException.error("that does not look like an API key (it contains spaces)");
    }
    String preset = choose(prompts);
    if (preset == null) {
      return ExitCodes.USAGE;
    }
    writeRecipe(target, preset);
    out.println("· wrote " + target + " (preset: " + preset + ", mode 0600, no key inside)");
    if (saveKey) {
      Credentials.save(ctx, key);
      out.println("· key saved to " + Credentials.path(ctx) + " (mode 0600)");
      if (io.envValue("OPENROUTER_API_KEY") != null && !key.equals(io.envValue("OPENROUTER_API_KEY"))) {
        out.println("  note: OPENROUTER_API_KEY is set in your environment and takes precedence over the saved key");
      }
    }
    OpenFusionConfig loaded = check(ctx.withExplicitPath(target.toString()));
    out.println("· checked: strategy " + loaded.strategy().wire() + ", panel "
      + loaded.panel().stream().map(UpstreamConfig::model).collect(Collectors.joining(", "))
      + ", judge " + (loaded.judge() == null ? "none" : loaded.judge().upstream().model()));
    out.println();
    out.println("Next:");
    out.println("  openfusion                chat in the terminal");
    out.println("  openfusion ask \"...\"      one answer on stdout");
    out.println("  openfusion serve          the OpenAI-compatible API and the playground on http://127.0.0.1:8000");
    out.flush();
    return ExitCodes.OK;
  }

  /** @return the preset id, or null after an unusable answer in scripted mode */
  private String choose(Prompts prompts) {
    for (int attempt = 0; attempt < 3; attempt++) {
      String answer = prompts.line("Recipe: [1] Budget (cheaper)  [2] Quality (stronger)  [1/2, default 1]: ");
      String choice = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
      switch (choice) {
        case "", "1", "b", "budget" -> {
          return Presets.BUDGET;
        }
        case "2", "q", "quality" -> {
          return Presets.QUALITY;
        }
        default -> {
          prompts.say("please answer 1 (Budget) or 2 (Quality)");
          if (!prompts.interactive()) {
            parent.io().err().println("openfusion: unknown recipe choice '" + answer.strip() + "' (use 1 or 2)");
            return null;
          }
        }
      }
    }
    return null;
  }

  static String recipeYaml(String preset) {
    return String.join("\n",
      "# openfusion recipe, written by `openfusion setup`.",
      "#",
      "# The preset picks the panel, the judge and the pass-through model on OpenRouter, runs them as a",
      "# panel (every model answers, the judge fuses the answers) and turns on web search and fetch.",
      "# Lines you add override the preset, for example:",
      "#   strategy: debate        # panel | self_fusion | debate | pipeline",
      "#   aggregator: vote        # judge | vote | ranked",
      "#   cost_controls: {panel_max_tokens: 1024, judge_max_tokens: 1024}",
      "#",
      "# No key is stored here: the OpenRouter key comes from OPENROUTER_API_KEY when it is set, else from",
      "# the key `openfusion setup` saved in ~/.config/openfusion/credentials (mode 0600).",
      "preset: " + preset,
      "");
  }

  /** Writes the file atomically with mode 0600: a temporary file created 0600 beside it, then renamed. */
  static void writeRecipe(Path target, String preset) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attrs = posix
      ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, ".openfusion-", ".yaml.tmp", attrs);
    try {
      Files.writeString(tmp, recipeYaml(preset), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      if (posix) {
        Files.setPosixFilePermissions(target, FILE_MODE);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static OpenFusionConfig check(ConfigContext ctx) {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, ctx).await();
    } catch (ConfigException e) {
      throw CliException.error("the written config does not load: " + e.getMessage());
    } finally {
      vertx.close().await();
    }
  }

  /** How setup asks its questions. */
  private interface Prompts {
    String line(String prompt);

    String secret(String prompt);

    void say(String text);

    boolean interactive();
  }

  /** Scripted: answers are lines on stdin; prompts go to stderr so stdout stays a clean log. */
  private static final class LinePrompts implements Prompts {
    private final BufferedReader in;
    private final PrintStream err;

    LinePrompts(CliIo io) {
      this.in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
      this.err = io.err();
    }

    @Override
    public String line(String prompt) {
      err.print(prompt);
      err.flush();
      try {
        String line = in.readLine();
        err.println();
        return line;
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public String secret(String prompt) {
      return line(prompt);
    }

    @Override
    public void say(String text) {
      err.println(text);
    }

    @Override
    public boolean interactive() {
      return false;
    }
  }

  /** On a terminal: JLine line editing, the key typed without echo. */
  private static final class TerminalPrompts implements Prompts {
    private final Terminal terminal;
    private final LineReader reader;

    TerminalPrompts(Terminal terminal) {
      this.terminal = terminal;
      this.reader = LineReaderBuilder.builder().terminal(terminal).appName("openfusion")
        .variable(LineReader.DISABLE_HISTORY, true).build();
    }

    @Override
    public String line(String prompt) {
      try {
        return reader.readLine(prompt);
      } catch (UserInterruptException e) {
        throw new CliException(ExitCodes.INTERRUPTED, "setup cancelled");
      } catch (EndOfFileException e) {
        return null;
      }
    }

    @Override
    public String secret(String prompt) {
      try {
        return reader.readLine(prompt, '*');
      } catch (UserInterruptException e) {
        throw new CliException(ExitCodes.INTERRUPTED, "setup cancelled");
      } catch (EndOfFileException e) {
        return null;
      }
    }

    @Override
    public void say(String text) {
      terminal.writer().println(text);
      terminal.writer().flush();
    }

    @Override
    public boolean interactive() {
      return true;
    }
  }
}
