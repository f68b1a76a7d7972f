package io.openfusion.app.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test class or a test started, closed last-started first. A failure to close one thing never leaves the
 * things started before it running: every step runs, and the first failure is thrown with the others suppressed.
 */
public final class Teardown {

  /** Closes one thing; it may block, within a deadline of its own. */
  @FunctionalInterface
  public interface Step {
    void close() throws Exception;
  }

  private record Named(String what, Step step) {
  }

  private final Deque<Named> steps = new ArrayDeque<>();

  public synchronized void add(String what, Step step) {
    steps.push(new Named(what, step));
  }

  public void closeAll() {
    AssertionError failure = null;
    for (Named next = pop(); next != null; next = pop()) {
      try {
        next.step().close();
      } catch (Throwable e) {
        AssertionError closing = new AssertionError("closing " + next.what() + " failed: " + e, e);
        if (failure == null) {
          failure = closing;
        } else {
          failure.addSuppressed(closing);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private synchronized Named pop() {
    return steps.poll();
  }
}
