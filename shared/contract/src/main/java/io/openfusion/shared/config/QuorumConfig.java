package io.openfusion.shared.config;

/**
 * When the panel is "done": with {@code minAnswers} answers in, wait at most {@code stragglerMs} more,
 * then cancel the members still running and go on. Slow members then cost latency only up to a bound
 * instead of holding every request hostage.
 *
 * @param minAnswers  answers needed before the straggler clock starts; 0 = wait for every member
 * @param stragglerMs how long to wait for the rest once {@code minAnswers} are in; 0 = cut at once
 */
public record QuorumConfig(int minAnswers, long stragglerMs) {

  public static QuorumConfig waitForAll() {
    return new QuorumConfig(0, 0);
  }

  public boolean enabled() {
    return minAnswers > 0;
  }
}
