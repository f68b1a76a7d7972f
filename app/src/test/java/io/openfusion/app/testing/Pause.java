package io.openfusion.app.testing;

/** Waits on the test thread between two polls of something that settles asynchronously. */
public final class Pause {

  private Pause() {
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
