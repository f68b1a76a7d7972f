package io.openfusion.app;

import io.openfusion.app.cli.AskCommand;
import io.openfusion.app.cli.ChatCommand;
import io.openfusion.app.cli.CliException;
import io.openfusion.app.cli.CliIo;
import io.openfusion.app.cli.CompletionCommand;
import io.openfusion.app.cli.ConnectionOptions;
import io.openfusion.app.cli.ExitCodes;
import io.openfusion.app.cli.PipeMode;
import io.openfusion.app.cli.ServeCommand;
import io.openfusion.app.cli.SetupCommand;
import io.openfusion.logging.Logs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code openfusion} command. Bare, it chats on a terminal and answers piped stdin once; the subcommands
 * ask once, run the server, set up a key and recipe, or print a completion script.
 */
@Command(name = "openfusion", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
  description = {"Open compound-model proxy: a panel of LLMs and a judge behind one OpenAI-compatible API.", "",
    "  openfusion                  chat in the terminal (on a TTY)",
    "  echo \"PROMPT\" | openfusion  answer piped stdin once",
    ""},
  subcommands = {ChatCommand.class, AskCommand.class, ServeCommand.class, SetupCommand.class,
    CompletionCommand.class, CommandLine.HelpCommand.class},
  footer = {"", "Exit codes:", "  0 ok · 1 runtime or config error · 2 usage error · 130 interrupted (Ctrl-C)",
    "Run 'openfusion COMMAND --help' for a command's options."})
public final class Main implements Callable<Integer> {

  private final CliIo io;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  public Main(CliIo io) {
    this.io = io;
  }

  /** The options given before a subcommand, which the subcommands honour too. */
  public ConnectionOptions connection() {
    return connection;
  }

  /** The process's streams, environment and terminal, for the subcommands. */
  public CliIo io() {
    return io;
  }

  public static void main(String[] args) {
    Logs.start();
    CliIo io = CliIo.system();
    CommandLine commandLine = commandLine(io);
    int exit = commandLine.execute(args);
    io.out().flush();
    io.err().flush();
    // a running server keeps the JVM alive through its non-daemon threads; everything else exits now
    if (exit != 0 || !isServe(commandLine)) {
      Logs.stop();
      System.exit(exit);
    }
  }

  /** Runs the command line against {@code io} and returns the exit code (tests call this). */
  public static int run(CliIo io, String... args) {
    int exit = commandLine(io).execute(args);
    io.out().flush();
    io.err().flush();
    return exit;
  }

  /** The configured picocli command line: output to {@code io}, documented exit codes, no stack traces. */
  public static CommandLine commandLine(CliIo io) {
    CommandLine commandLine = new CommandLine(new Main(io));
    commandLine.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
    commandLine.setParameterExceptionHandler(Main::usageError);
    commandLine.setExecutionExceptionHandler((failure, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (failure instanceof CliException cli) {
        err.println("openfusion: " + cli.getMessage());
        err.flush();
        return cli.exitCode();
      }
      err.println("openfusion: " + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
      err.flush();
      return ExitCodes.ERROR;
    });
    return commandLine;
  }

  private static int usageError(CommandLine.ParameterException failure, String[] args) {
    CommandLine cmd = failure.getCommandLine();
    PrintWriter err = cmd.getErr();
    boolean root = cmd.getCommandSpec().parent() == null;
    if (root && failure instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
      && !unmatched.getUnmatched().get(0).startsWith("-")) {
      err.println("openfusion: unknown command '" + unmatched.getUnmatched().get(0) + "'");
      CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
      err.println();
      cmd.usage(err);
    } else {
      err.println("openfusion: " + failure.getMessage());
      if (failure instanceof CommandLine.UnmatchedArgumentException unmatched) {
        CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
      }
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  private static boolean isServe(CommandLine commandLine) {
    CommandLine.ParseResult parsed = commandLine.getParseResult();
    return parsed != null && parsed.hasSubcommand() && parsed.subcommand().commandSpec().userObject() instanceof ServeCommand
      && !parsed.subcommand().isUsageHelpRequested() && !parsed.subcommand().isVersionHelpRequested();
  }

  /** Bare {@code openfusion}: chat on a terminal, else answer stdin once (or print help when it is empty). */
  @Override
  public Integer call() {
    return PipeMode.run(io, connection, () -> spec.commandLine().usage(spec.commandLine().getOut()));
  }
}
