package io.openfusion.app.cli;

import io.openfusion.app.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code openfusion ask "PROMPT"}: one fused answer on stdout, progress on stderr. */
@Command(name = "ask", mixinStandardHelpOptions = true, sortOptions = false,
  description = {"Ask once: the panel answers, the judge fuses, the answer prints to stdout (progress to stderr).",
    "Runs the engine in-process unless --url names a running server."},
  footer = {"", "Examples:",
    "  openfusion ask \"Compare Postgres and SQLite for a small SaaS\"",
    "  openfusion ask --preset quality --max-tokens 800 \"Explain CRDTs\" > answer.md",
    "  openfusion ask --estimate \"Summarize the CAP theorem\"",
    "  git diff | openfusion ask -        (read the prompt from stdin)"})
public final class AskCommand implements Callable<Integer> {

  @ParentCommand
  Main parent;

  @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The question (several words are joined; - reads stdin).")
  List<String> prompt;

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--json", description = "Print the whole non-streamed chat.completion JSON (with usage and analysis).")
  boolean json;

  @Option(names = "--estimate", description = "Print the cost preview (POST /v1/estimate) without calling any model.")
  boolean estimate;

  @Override
  public Integer call() throws IOException {
    CliIo io = parent.io();
    String text = String.join(" ", prompt);
    if (text.equals("-")) {
      text = new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
    }
    return OneShot.run(io, connection.orElse(parent.connection()), text, json, estimate);
  }
}
