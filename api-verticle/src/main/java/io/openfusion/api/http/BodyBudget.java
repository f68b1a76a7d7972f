package io.openfusion.api.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * How many bytes of large request bodies a node holds at once. A body costs about twice its size in heap for as long
 * as its request runs (the bytes, the strings parsed from them) and more while it is read and parsed; each upstream
 * call adds an encoded copy outside the heap. A few maximal bodies at once would exhaust the heap and fail every
 * request on the node, not only theirs.
 *
 * <p>Bodies of {@link #LARGE_BODY_BYTES} or more are charged from admission (their declared length) or once read
 * (chunked bodies) until their response ends. One that does not fit beside those held waits, first come first
 * served, up to its wait ({@link #DEFAULT_MAX_WAIT_MS} on a node; its body still unread, so waiting costs no
 * memory), then is refused with 503 {@code server_overloaded} and {@code Retry-After: 1}. A body is always admitted
 * when no other is held, so {@code server.max_body_mb} stays the only limit on one request. Smaller bodies are never charged and never wait:
 * they cannot starve a large one, and ordinary traffic pays nothing for this. Shared by the node's api instances.
 */
public final class BodyBudget {

  /** Bodies from this size on are charged. */
  public static final long LARGE_BODY_BYTES = 1024 * 1024;
  /**
   * How long a large body waits for the ones held to end before it is refused: long enough for a burst of images to
   * be taken in turn rather than refused, short enough that a client is told to come back before it gives up.
   */
  public static final long DEFAULT_MAX_WAIT_MS = 10_000;
  /** Large bodies may hold an eighth of the heap: several times that, while they are handled, still fits. */
  static final int HEAP_SHARE_DIVISOR = 8;

  private final long capacity;
  private final long maxWaitMs;
  private final Object lock = new Object();
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private long held;

  public BodyBudget(long capacityBytes, long maxWaitMs) {
    if (capacityBytes <= 0 || maxWaitMs < 0) {
      throw new IllegalArgumentException("capacityBytes must be positive and maxWaitMs not negative");
    }
    this.capacity = capacityBytes;
    this.maxWaitMs = maxWaitMs;
  }

  /** An eighth of this JVM's maximum heap, and never less than one maximal body. */
  public static BodyBudget forHeap(long maxBodyBytes) {
    return new BodyBudget(Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR),
      DEFAULT_MAX_WAIT_MS);
  }

  /**
   * Charges a body of {@code bytes}: at once when it is small or fits, else when the bodies ahead of it are done.
   * A request that waits learns the outcome on {@code context}, its own.
   *
   * @return true once charged (the caller must {@link #release} it), false when it waited its time in vain
   */
  public Future<Boolean> charge(Vertx vertx, Context context, long bytes) {
    if (bytes < LARGE_BODY_BYTES) {
      return Future.succeededFuture(true);
    }
    Waiter waiter;
    synchronized (lock) {
      if (waiting.isEmpty() && fits(bytes)) {
        held += bytes;
        return Future.succeededFuture(true);
      }
      waiter = new Waiter(bytes, context);
      waiting.add(waiter);
    }
    waiter.timer = vertx.setTimer(Math.max(1, maxWaitMs), late -> {
      synchronized (lock) {
        if (!waiting.remove(waiter)) {
          return; // granted meanwhile
        }
      }
      waiter.context.runOnContext(refused -> waiter.promise.complete(false));
    });
    return waiter.promise.future();
  }

  /** Gives back what {@link #charge} took, and admits the bodies waiting that now fit, in order. */
  public void release(Vertx vertx, long bytes) {
    if (bytes < LARGE_BODY_BYTES) {
      return;
    }
    List<Waiter> granted = new ArrayList<>();
    synchronized (lock) {
      held -= bytes;
      while (!waiting.isEmpty() && fits(waiting.peek().bytes)) {
        Waiter next = waiting.poll();
        held += next.bytes;
        granted.add(next);
      }
    }
    for (Waiter waiter : granted) {
      vertx.cancelTimer(waiter.timer);
      waiter.context.runOnContext(go -> waiter.promise.complete(true));
    }
  }

  /** Large bodies waiting for room now. */
  public int waiting() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /** Bytes of large bodies held now. */
  public long held() {
    synchronized (lock) {
      return held;
    }
  }

  public long capacity() {
    return capacity;
  }

  private boolean fits(long bytes) {
    return held == 0 || held + bytes <= capacity;
  }

  private static final class Waiter {
    final long bytes;
    final Context context;
    final Promise<Boolean> promise = Promise.promise();
    volatile long timer;

    Waiter(long bytes, Context context) {
      this.bytes = bytes;
      this.context = context;
    }
  }
}
