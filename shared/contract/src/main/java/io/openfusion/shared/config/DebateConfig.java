package io.openfusion.shared.config;

/**
 * Settings for {@link Strategy#DEBATE}.
 *
 * @param rounds revision rounds after the first answers, 1..3
 */
public record DebateConfig(int rounds) {

  public static final int DEFAULT_ROUNDS = 1;
  public static final int MIN_ROUNDS = 1;
  public static final int MAX_ROUNDS = 3;

  public static DebateConfig defaults() {
    return new DebateConfig(DEFAULT_ROUNDS);
  }
}
