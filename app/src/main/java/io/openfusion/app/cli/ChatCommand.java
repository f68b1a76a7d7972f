package io.openfusion.app.cli;

import io.openfusion.app.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code openfusion chat}: the interactive REPL (also what a bare {@code openfusion} runs on a terminal). */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
  description = {"Chat with the panel in the terminal: live progress, Markdown answers, history, slash commands.",
    "Runs the engine in-process unless --url names a running server."},
  footer = {"", "Slash commands: /help /models /preset quality|budget /tokens N /strategy S /aggregator A /key /clear /quit",
    "Ctrl-C cancels the answer in flight; Ctrl-D exits."})
public final class ChatCommand implements Callable<Integer> {

  @ParentCommand
  Main parent;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() {
    return ChatRepl.run(parent.io(), connection.orElse(parent.connection()));
  }
}
