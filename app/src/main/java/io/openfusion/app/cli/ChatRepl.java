package io.openfusion.app.cli;

import io.openfusion.app.logging.Logs;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.ConfigContext;
import io.openfusion.shared.config.Credentials;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Strategy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The chat REPL: a conversation with the panel, one fused answer per turn, with slash commands to change the
 * recipe. The whole conversation is resent each turn. Ctrl-C cancels the turn in flight (the request is
 * aborted, which cancels the upstream calls) and drops it from the conversation; Ctrl-D leaves.
 */
final class ChatRepl {

  private static final List<String> COMMANDS = List.of("/help", "/models", "/preset quality", "/preset budget",
    "/tokens", "/strategy", "/aggregator", "/key", "/clear", "/quit");

  private static final String HELP = String.join("\n",
    "  /help                    this list",
    "  /models                  the panel, the judge and the recipe",
    "  /preset quality|budget   switch to a built-in recipe (keeps /tokens)",
    "  /tokens N                cap every answer at N tokens (at most 8192)",
    "  /strategy S              panel | self_fusion | debate | pipeline (in-process only)",
    "  /aggregator A            judge | vote | ranked (in-process only)",
    "  /key                     enter the OpenRouter key again (saved for next time)",
    "  /clear                   start a new conversation",
    "  /quit                    leave (or Ctrl-D)",
    "  Ctrl-C cancels an answer in flight.");

  private final CliIo io;
  private final Terminal terminal;
  private final Backend backend;
  private final ConfigContext ctx;
  private final PrintWriter out;
  private final boolean color;
  private final JsonArray conversation = new JsonArray();
  private LineReader reader;

  private ChatRepl(CliIo io, Terminal terminal, Backend backend, ConfigContext ctx) {
    this.io = io;
    this.terminal = terminal;
    this.backend = backend;
    this.ctx = ctx;
    this.out = terminal.writer();
    this.color = !isDumb(terminal) && io.envValue("NO_COLOR") == null;
  }

  static int run(CliIo io, ConnectionOptions options) {
    Logs.quietForCli();
    try (Terminal terminal = io.terminals().open()) {
      Terminal.SignalHandler ignore = signal -> { };
      terminal.handle(Terminal.Signal.INT, ignore);
      boolean dumb = isDumb(terminal);
      if (!dumb) {
        terminal.writer().print("\033[2m" + (options.url == null ? "starting the engine…" : "connecting…") + "\033[0m");
        terminal.writer().flush();
      }
      Backend backend;
      try {
        backend = Backend.open(io, options);
      } finally {
        if (!dumb) {
          terminal.writer().print("\r\033[2K");
          terminal.writer().flush();
        }
      }
      try (backend) {
        return new ChatRepl(io, terminal, backend, io.configContext(options.config)).loop();
      }
    } catch (IOException e) {
      throw CliException.error("could not open the terminal: " + e.getMessage());
    }
  }

  private int loop() {
    reader = LineReaderBuilder.builder().terminal(terminal).appName("openfusion")
      .variable(LineReader.HISTORY_FILE, historyFile())
      .completer(new StringsCompleter(COMMANDS))
      .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
      .build();
    if (!ensureKey()) {
      return ExitCodes.ERROR;
    }
    banner();
    String prompt = color ? "\033[1;35m›\033[0m " : "› ";
    while (true) {
      String line;
      try {
        line = reader.readLine(prompt);
      } catch (UserInterruptException e) {
        if (e.getPartialLine() != null && !e.getPartialLine().isBlank()) {
          continue;
        }
        say("bye");
        return ExitCodes.INTERRUPTED;
      } catch (EndOfFileException e) {
        say("bye");
        return ExitCodes.OK;
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("/")) {
        Integer exit = command(line);
        if (exit != null) {
          return exit;
        }
        continue;
      }
      turn(line);
    }
  }

  // --- a turn ---------------------------------------------------------------------------------------

  private void turn(String prompt) {
    conversation.add(new JsonObject().put("role", "user").put("content", prompt));
    Turn turn = backend.client().stream(backend.chatBody(conversation, true));
    boolean errLive = io.stderrTty() && !isDumb(terminal);
    ProgressLine progress = new ProgressLine(io.err(), errLive, errLive && color);
    AnswerPrinter printer = color
      ? new MarkdownStream(out, () -> terminal.getWidth() > 0 ? terminal.getWidth() : 80,
      () -> terminal.getHeight() > 0 ? terminal.getHeight() : 24)
      : AnswerPrinter.plain(out);
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> turn.cancel());
    TurnRunner.Outcome outcome;
    try {
      outcome = TurnRunner.run(turn, progress, printer, () -> {
        out.println(color ? "\033[1;35m● openfusion\033[0m" : "● openfusion");
        out.flush();
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      turn.cancel();
      outcome = new TurnRunner.Outcome(TurnRunner.Status.CANCELLED, "", null, null);
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
    }
    switch (outcome.status()) {
      case DONE -> {
        conversation.add(new JsonObject().put("role", "assistant").put("content", outcome.text()));
        String usage = TurnRunner.usageLine(outcome.usage());
        if (usage != null) {
          progress.note(usage);
        }
      }
      case CANCELLED -> {
        conversation.remove(conversation.size() - 1);
        progress.note("· cancelled");
      }
      default -> {
        conversation.remove(conversation.size() - 1);
        error(TurnRunner.describe(outcome.failure(), true));
      }
    }
    out.println();
    out.flush();
  }

  // --- slash commands -------------------------------------------------------------------------------

  /** @return an exit code to leave with, or null to go on */
  private Integer command(String line) {
    String[] words = line.split("\\s+");
    String name = words[0].toLowerCase(Locale.ROOT);
    String arg = words.length > 1 ? String.join(" ", Arrays.copyOfRange(words, 1, words.length)) : null;
    try {
      switch (name) {
        case "/help", "/h", "/?" -> say(HELP);
        case "/models" -> models();
        case "/preset" -> preset(arg);
        case "/tokens" -> tokens(arg);
        case "/strategy" -> strategy(arg);
        case "/aggregator" -> aggregator(arg);
        case "/key" -> key();
        case "/clear" -> {
          conversation.clear();
          say("· conversation cleared");
        }
        case "/quit", "/q", "/exit" -> {
          say("bye");
          return ExitCodes.OK;
        }
        default -> say("unknown command: " + words[0] + " (try /help)");
      }
    } catch (CliException e) {
      error(e.getMessage());
    }
    return null;
  }

  private void models() {
    RecipeView view = backend.describe();
    say("  panel       " + String.join(", ", view.panel()));
    say("  judge       " + (view.judge() == null ? "none" : view.judge()));
    say("  strategy    " + view.strategy() + " · aggregator " + view.aggregator()
      + (view.preset() == null ? "" : " · preset " + view.preset()));
    say("  max tokens  " + (view.maxTokens() == null ? "as configured" : view.maxTokens()));
    say("  engine      " + view.where());
  }

  private void preset(String arg) {
    if (arg == null || Presets.normalize(arg) == null) {
      say("usage: /preset quality|budget");
      return;
    }
    RecipeState next = backend.recipe();
    next.preset(arg);
    backend.apply(next);
    RecipeView view = backend.describe();
    say("· preset " + view.preset() + ": panel " + String.join(", ", view.panel()) + " · judge " + view.judge()
      + (view.maxTokens() == null ? "" : " · max tokens " + view.maxTokens()));
    warnIfKeyMissing();
  }

  private void tokens(String arg) {
    int n;
    try {
      n = arg == null ? -1 : Integer.parseInt(arg.strip());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n <= 0) {
      say("usage: /tokens N   (N > 0, at most " + RecipeState.MAX_TOKENS_LIMIT + ")");
      return;
    }
    RecipeState next = backend.recipe();
    next.maxTokens(n);
    backend.apply(next);
    say("· answers capped at " + next.maxTokens() + " tokens");
  }

  private void strategy(String arg) {
    Strategy strategy = Strategy.fromWire(arg);
    if (strategy == null) {
      say("usage: /strategy panel|self_fusion|debate|pipeline");
      return;
    }
    RecipeState next = backend.recipe();
    next.strategy(strategy);
    backend.apply(next);
    say("· strategy " + strategy.wire());
  }

  private void aggregator(String arg) {
    Aggregator aggregator = Aggregator.fromWire(arg);
    if (aggregator == null) {
      say("usage: /aggregator judge|vote|ranked");
      return;
    }
    RecipeState next = backend.recipe();
    next.aggregator(aggregator);
    backend.apply(next);
    say("· aggregator " + aggregator.wire());
  }

  private void key() {
    String key = readSecret("OpenRouter API key: ");
    if (key == null || key.isBlank()) {
      say("· key unchanged");
      return;
    }
    saveKey(key.strip());
    backend.useKey(key.strip());
    say("· the new key is in use");
  }

  // --- key on first start ---------------------------------------------------------------------------

  /** Asks for a key when an upstream needs one; false when there is still none. */
  private boolean ensureKey() {
    String missing = backend.missingKey();
    if (missing == null) {
      return true;
    }
    say("No upstream API key yet (needed for " + missing + "). Get one at https://openrouter.ai/keys");
    String key = readSecret("OpenRouter API key (saved for next time): ");
    if (key == null || key.isBlank()) {
      error("no upstream API key. Set OPENROUTER_API_KEY or run `openfusion setup`.");
      return false;
    }
    saveKey(key.strip());
    try {
      backend.useKey(key.strip());
    } catch (CliException e) {
      error(e.getMessage());
      return false;
    }
    missing = backend.missingKey();
    if (missing != null) {
      error("still no API key for " + missing + "; put its api_key in the config");
      return false;
    }
    return true;
  }

  private void saveKey(String key) {
    try {
      Credentials.save(ctx, key);
      say("· key saved to " + Credentials.path(ctx)
        + (io.envValue("OPENROUTER_API_KEY") != null ? " (OPENROUTER_API_KEY in the environment still wins in new sessions)" : ""));
    } catch (IOException | IllegalArgumentException e) {
      error("could not save the key: " + e.getMessage());
    }
  }

  private void warnIfKeyMissing() {
    String missing = backend.missingKey();
    if (missing != null) {
      say("· no key for " + missing + " yet — /key to enter one");
    }
  }

  /** Reads a line without echo and without recording it in the history. */
  private String readSecret(String prompt) {
    LineReader secret = LineReaderBuilder.builder().terminal(terminal).appName("openfusion")
      .variable(LineReader.DISABLE_HISTORY, true).build();
    try {
      return secret.readLine(prompt, '*');
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  // --- output ---------------------------------------------------------------------------------------

  private void banner() {
    RecipeView view = backend.describe();
    String title = "openfusion — chat with a model panel";
    String top = "╭" + "─".repeat(title.length() + 4) + "╮";
    String mid = "│  " + title + "  │";
    String bottom = "╰" + "─".repeat(title.length() + 4) + "╯";
    if (color) {
      String m = "\033[35m";
      say(m + top + "\n" + mid.replace(title, "\033[1m" + title + "\033[22m") + "\n" + bottom + "\033[0m");
    } else {
      say(top + "\n" + mid + "\n" + bottom);
    }
    say("  panel   " + String.join(", ", view.panel()));
    say("  judge   " + (view.judge() == null ? "none" : view.judge()) + " · " + view.aggregator()
      + " · strategy " + view.strategy() + (view.preset() == null ? "" : " · preset " + view.preset()));
    say("  engine  " + view.where());
    say(dim("/help for commands · Ctrl-C cancels an answer · Ctrl-D to exit"));
    out.println();
    out.flush();
  }

  private void say(String text) {
    out.println(text);
    out.flush();
  }

  private void error(String message) {
    out.println(color ? "\033[31m[error]\033[0m " + message : "[error] " + message);
    out.flush();
  }

  private String dim(String text) {
    return color ? "\033[2m" + text + "\033[0m" : text;
  }

  private Path historyFile() {
    Path file = Credentials.path(ctx).resolveSibling("history");
    try {
      Path dir = file.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        trySetMode(dir, "rwx------");
      }
      if (!Files.exists(file)) {
        Files.createFile(file);
        trySetMode(file, "rw-------");
      }
    } catch (IOException e) {
      // history is a convenience: without a file JLine keeps it in memory
    }
    return file;
  }

  private static void trySetMode(Path path, String mode) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX filesystem
    }
  }

  private static boolean isDumb(Terminal terminal) {
    String type = terminal.getType();
    return type == null || type.startsWith("dumb");
  }
}
