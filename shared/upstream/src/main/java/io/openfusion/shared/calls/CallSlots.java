package io.openfusion.shared.calls;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * A node-wide cap on the upstream calls of one kind ({@code workers.panel_max_concurrency},
 * {@code workers.judge_max_concurrency}). Every verticle instance of the node shares one instance, so
 * it is used from several event loops; the little state it has is guarded by its monitor and no
 * callback runs under it.
 *
 * <p>Work over the cap waits first come first served and leaves the queue when a slot frees, when its
 * deadline passes or when it is cancelled; work never holds a slot it did not get.
 */
public final class CallSlots {

  private final String role;
  private final String setting;
  private final int max;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private int running;

  /**
   * @param role    what the slots run, for messages ("panel", "judge")
   * @param setting the config key of the cap, for messages
   * @param max     calls at once; 0 = no cap
   */
  public CallSlots(String role, String setting, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be at least 0");
    }
    this.role = role;
    this.setting = setting;
    this.max = max;
  }

  public static CallSlots unlimited(String role) {
    return new CallSlots(role, "", 0);
  }

  /**
   * Runs {@code work} once a slot is free and gives the slot back when the work's future completes.
   *
   * @param deadline epoch millis after which waiting for a slot is pointless (the caller gave up)
   * @param cancel   completes when the work is no longer wanted
   */
  public <T> Future<T> run(Vertx vertx, long deadline, Future<Void> cancel, Supplier<Future<T>> work) {
    Future<Void> slot = acquire(vertx, deadline, cancel);
    return slot.compose(granted -> {
      Future<T> result;
      try {
        result = work.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result.andThen(done -> release());
    });
  }

  /** Calls running now. */
  public synchronized int running() {
    return running;
  }

  /** Calls waiting for a slot now. */
  public synchronized int waiting() {
    return waiting.size();
  }

  public int max() {
    return max;
  }

  private Future<Void> acquire(Vertx vertx, long deadline, Future<Void> cancel) {
    Waiter waiter;
    synchronized (this) {
      if (max == 0 || running < max) {
        running++;
        return Future.succeededFuture();
      }
      waiter = new Waiter(vertx.getOrCreateContext(), Promise.promise());
      waiting.addLast(waiter);
    }
    long waitMs = Math.max(1, deadline - System.currentTimeMillis());
    long timer = vertx.setTimer(waitMs, t -> giveUp(waiter, ApiError.of(ErrorCode.TIMEOUT, "Every " + role
      + " worker on its node stayed busy until the deadline (" + setting + " = " + max
      + "); add " + role + " nodes, raise the cap or retry later")));
    cancel.onComplete(c -> giveUp(waiter, ApiError.of(ErrorCode.TIMEOUT, "Cancelled while waiting for a " + role + " worker")));
    return waiter.promise.future().andThen(done -> vertx.cancelTimer(timer));
  }

  private void giveUp(Waiter waiter, ApiError why) {
    boolean removed;
    synchronized (this) {
      removed = waiting.remove(waiter);
    }
    if (removed) {
      waiter.context.runOnContext(v -> waiter.promise.tryFail(why));
    }
  }

  private void release() {
    Waiter next;
    synchronized (this) {
      next = waiting.pollFirst();
      if (next == null) {
        running--;
        return;
      }
      // the slot passes straight to the next waiter: running stays the same
    }
    Waiter granted = next;
    granted.context.runOnContext(v -> granted.promise.tryComplete());
  }

  private record Waiter(Context context, Promise<Void> promise) {
  }
}
