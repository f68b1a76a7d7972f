package io.openfusion.app.cli;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Strategy;

/**
 * The recipe changes a CLI session asks for on top of the loaded config. They are kept apart and
 * re-applied to the config as loaded each time, so a later {@code /preset} keeps an earlier
 * {@code /tokens}.
 */
final class RecipeState {

  /** The largest per-call answer the CLI asks for. */
  static final int MAX_TOKENS_LIMIT = 8192;

  private String preset;
  private Integer maxTokens;
  private Strategy strategy;
  private Aggregator aggregator;

  String preset() {
    return preset;
  }

  Integer maxTokens() {
    return maxTokens;
  }

  Strategy strategy() {
    return strategy;
  }

  Aggregator aggregator() {
    return aggregator;
  }

  /** @throws CliException (usage) for an unknown preset */
  void preset(String value) {
    String id = Presets.normalize(value);
    if (id == null) {
      throw CliException.usage("unknown preset '" + value + "' (use quality or budget)");
    }
    preset = id;
  }

  /** @throws CliException (usage) unless {@code n > 0}; values above {@link #MAX_TOKENS_LIMIT} are capped */
  void maxTokens(int n) {
    if (n <= 0) {
      throw CliException.usage("max tokens must be a positive number");
    }
    maxTokens = Math.min(n, MAX_TOKENS_LIMIT);
  }

  void strategy(Strategy value) {
    strategy = value;
  }

  void aggregator(Aggregator value) {
    aggregator = value;
  }

  RecipeState copy() {
    RecipeState copy = new RecipeState();
    copy.preset = preset;
    copy.maxTokens = maxTokens;
    copy.strategy = strategy;
    copy.aggregator = aggregator;
    return copy;
  }
}
