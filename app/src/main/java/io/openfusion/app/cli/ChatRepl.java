package io.openfusion.app.cli;

import io.openfusion.logging.Logs;
import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.Credentials;
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

/**
 * The chat REPL: a conversation with the panel, one fused answer per turn, with slash commands to change the
 * recipe. The whole conversation is resent each turn. Ctrl-C cancels the turn in flight (the request is
 * aborted, which cancels the upstream calls) and drops it from the conversation; Ctrl-D leaves.
 */
final class ChatRepl {

  private final CliIo io;
  private final Terminal terminal;
  private final Backend backend;
  private final ConfigContext ctx;
  private final PrintWriter out;
  private final boolean color;
  private final ReplScreen screen;
  private final KeyPrompt keys;
  private final SlashCommands commands;
  private final JsonArray conversation = new JsonArray();

  private ChatRepl(CliIo io, Terminal terminal, Backend backend, ConfigContext ctx) {
    this.io = io;
    this.terminal = terminal;
    this.backend = backend;
    this.ctx = ctx;
    this.out = terminal.writer();
    this.color = !ReplScreen.isDumb(terminal) && io.envValue("NO_COLOR") == null;
    this.screen = new ReplScreen(out, color);
    this.keys = new KeyPrompt(io, terminal, backend, ctx, screen);
    this.commands = new SlashCommands(backend, screen, keys, conversation::clear);
  }

  static int run(CliIo io, ConnectionOptions options) {
    Logs.quietForCli();
    try (Terminal terminal = io.terminals().open()) {
      Terminal.SignalHandler ignore = signal -> { };
      terminal.handle(Terminal.Signal.INT, ignore);
      boolean dumb = ReplScreen.isDumb(terminal);
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
    LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("openfusion")
      .variable(LineReader.HISTORY_FILE, historyFile())
      .completer(new StringsCompleter(SlashCommands.NAMES))
      .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
      .build();
    if (!keys.ensureKey()) {
      return ExitCodes.ERROR;
    }
    screen.banner(backend.describe());
    String prompt = color ? "\033[1;35m›\033[0m " : "› ";
    while (true) {
      String line;
      try {
        line = reader.readLine(prompt);
      } catch (UserInterruptException e) {
        if (e.getPartialLine() != null && !e.getPartialLine().isBlank()) {
          continue;
        }
        screen.say("bye");
        return ExitCodes.INTERRUPTED;
      } catch (EndOfFileException e) {
        screen.say("bye");
        return ExitCodes.OK;
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("/")) {
        Integer exit = commands.run(line);
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
    boolean errLive = io.stderrTty() && !ReplScreen.isDumb(terminal);
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
        screen.error(TurnRunner.describe(outcome.failure(), true));
      }
    }
    out.println();
    out.flush();
  }

  // --- history ---------------------------------------------------------------------------------------

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
}
