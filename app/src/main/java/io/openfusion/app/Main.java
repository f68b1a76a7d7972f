package io.openfusion.app;

import io.openfusion.app.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code openfusion} command. */
@Command(name = "openfusion", mixinStandardHelpOptions = true, versionProvider = Version.class,
  description = "Open compound-model proxy: a panel of LLMs and a judge behind one OpenAI-compatible API.",
  subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Logging.configure();
    CommandLine commandLine = new CommandLine(new Main());
    int exit = commandLine.execute(args);
    // a running server keeps the JVM alive through its non-daemon threads; everything else exits now
    if (exit != 0 || !isServe(commandLine)) {
      System.exit(exit);
    }
  }

  private static boolean isServe(CommandLine commandLine) {
    CommandLine.ParseResult parsed = commandLine.getParseResult();
    return parsed != null && parsed.hasSubcommand() && parsed.subcommand().commandSpec().userObject() instanceof ServeCommand
      && !parsed.subcommand().isUsageHelpRequested() && !parsed.subcommand().isVersionHelpRequested();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
