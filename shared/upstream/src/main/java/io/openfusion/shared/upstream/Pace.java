package io.openfusion.shared.upstream;

/**
 * How fast a streaming caller takes chunks. While it is full, the upstream response is paused (the provider's
 * sending stops at the TCP window and nothing piles up in memory), and the idle clock stops with it: a stream that
 * waits for its slow client is not a stalled upstream. The call's deadline still runs.
 */
public interface Pace {

  /** A caller that takes whatever comes. */
  Pace UNLIMITED = new Pace() {
    @Override
    public boolean full() {
      return false;
    }

    @Override
    public void whenReady(Runnable ready) {
      ready.run();
    }
  };

  /** @return whether the caller holds as much as it wants and the upstream should wait */
  boolean full();

  /**
   * Runs {@code ready} once when the caller can take more (at once when it already can), on the caller's context.
   */
  void whenReady(Runnable ready);
}
