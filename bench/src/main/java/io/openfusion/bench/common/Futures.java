package io.openfusion.bench.common;

import io.vertx.core.Future;

/** Blocking waits for shutdown futures, bounded so a harness never hangs on a close that never reports back. */
public final class Futures {

  private Futures() {
  }

  /**
   * Waits up to {@code seconds} for {@code close} to complete, polling its state rather than registering a listener:
   * with Vert.x 5.0.7, closing a second Vert.x instance in one JVM was seen to complete the close promise while
   * notifying its listeners failed ({@code RejectedExecutionException: event executor terminated} from
   * {@code VertxImpl.close}), so {@code close().await()} never returned. A timeout or failure is reported on stderr,
   * not thrown.
   */
  public static void awaitClose(Future<?> close, long seconds, String what) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!close.isComplete() && System.nanoTime() < end) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!close.isComplete()) {
      System.err.println("[bench] " + what + " did not report closed within " + seconds + " s; going on");
    } else if (close.failed()) {
      System.err.println("[bench] closing " + what + " failed: " + close.cause());
    }
  }
}
