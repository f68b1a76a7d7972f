package io.openfusion.app.cli;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Strategy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The chat REPL's slash commands: each changes the recipe of the next turns, shows it, or leaves. */
final class SlashCommands {

  static final List<String> NAMES = List.of("/help", "/models", "/preset quality", "/preset budget",
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

  private final Backend backend;
  private final ReplScreen screen;
  private final KeyPrompt keys;
  private final Runnable clearConversation;

  SlashCommands(Backend backend, ReplScreen screen, KeyPrompt keys, Runnable clearConversation) {
    this.backend = backend;
    this.screen = screen;
    this.keys = keys;
    this.clearConversation = clearConversation;
  }

  /** @return an exit code to leave with, or null to go on */
  Integer run(String line) {
    String[] words = line.split("\\s+");
    String name = words[0].toLowerCase(Locale.ROOT);
    String arg = words.length > 1 ? String.join(" ", Arrays.copyOfRange(words, 1, words.length)) : null;
    try {
      switch (name) {
        case "/help", "/h", "/?" -> screen.say(HELP);
        case "/models" -> models();
        case "/preset" -> preset(arg);
        case "/tokens" -> tokens(arg);
        case "/strategy" -> strategy(arg);
        case "/aggregator" -> aggregator(arg);
        case "/key" -> keys.replace();
        case "/clear" -> {
          clearConversation.run();
          screen.say("· conversation cleared");
        }
        case "/quit", "/q", "/exit" -> {
          screen.say("bye");
          return ExitCodes.OK;
        }
        default -> screen.say("unknown command: " + words[0] + " (try /help)");
      }
    } catch (CliException e) {
      screen.error(e.getMessage());
    }
    return null;
  }

  private void models() {
    RecipeView view = backend.describe();
    screen.say("  panel       " + String.join(", ", view.panel()));
    screen.say("  judge       " + (view.judge() == null ? "none" : view.judge()));
    screen.say("  strategy    " + view.strategy() + " · aggregator " + view.aggregator()
      + (view.preset() == null ? "" : " · preset " + view.preset()));
    screen.say("  max tokens  " + (view.maxTokens() == null ? "as configured" : view.maxTokens()));
    screen.say("  engine      " + view.where());
  }

  private void preset(String arg) {
    if (arg == null || Presets.normalize(arg) == null) {
      screen.say("usage: /preset quality|budget");
      return;
    }
    RecipeState next = backend.recipe();
    next.preset(arg);
    backend.apply(next);
    RecipeView view = backend.describe();
    screen.say("· preset " + view.preset() + ": panel " + String.join(", ", view.panel()) + " · judge " + view.judge()
      + (view.maxTokens() == null ? "" : " · max tokens " + view.maxTokens()));
    keys.warnIfMissing();
  }

  private void tokens(String arg) {
    int n;
    try {
      n = arg == null ? -1 : Integer.parseInt(arg.strip());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n <= 0) {
      screen.say("usage: /tokens N   (N > 0, at most " + RecipeState.MAX_TOKENS_LIMIT + ")");
      return;
    }
    RecipeState next = backend.recipe();
    next.maxTokens(n);
    backend.apply(next);
    screen.say("· answers capped at " + next.maxTokens() + " tokens");
  }

  private void strategy(String arg) {
    Strategy strategy = Strategy.fromWire(arg);
    if (strategy == null) {
      screen.say("usage: /strategy panel|self_fusion|debate|pipeline");
      return;
    }
    RecipeState next = backend.recipe();
    next.strategy(strategy);
    backend.apply(next);
    screen.say("· strategy " + strategy.wire());
  }

  private void aggregator(String arg) {
    Aggregator aggregator = Aggregator.fromWire(arg);
    if (aggregator == null) {
      screen.say("usage: /aggregator judge|vote|ranked");
      return;
    }
    RecipeState next = backend.recipe();
    next.aggregator(aggregator);
    backend.apply(next);
    screen.say("· aggregator " + aggregator.wire());
  }
}
