package io.openfusion.app.cli;

import io.openfusion.app.Main;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code openfusion completion}: prints a bash/zsh completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
  description = {"Print the bash/zsh completion script.",
    "Enable it with:  source <(openfusion completion)   (add that line to ~/.bashrc or ~/.zshrc)"})
public final class CompletionCommand implements Callable<Integer> {

  @ParentCommand
  Main parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("openfusion", spec.root().commandLine());
    parent.io().out().print(script);
    parent.io().out().flush();
    return ExitCodes.OK;
  }
}
