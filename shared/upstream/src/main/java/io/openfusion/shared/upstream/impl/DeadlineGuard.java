package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamOptions;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;

/**
 * Owns the outcome and the clocks of one call, on one context:
 * <ul>
 *   <li>the wall-clock deadline of the whole call;</li>
 *   <li>streaming only: the first-token timeout, armed from the start until {@link #startIdleWatch()};</li>
 *   <li>the idle timeout between received chunks, armed by {@link #startIdleWatch()} and pushed back by
 *       {@link #touch()}; it stops (with the first-token timeout) while the response is paused for a slow caller
 *       ({@link #waitForCaller()}), since nothing can arrive then;</li>
 *   <li>the caller's cancel future.</li>
 * </ul>
 * A single Vert.x timer is kept at the earliest of these instants and re-armed lazily, so {@link #touch()} costs one
 * field write. When a clock fires or the call is cancelled, the result fails with the matching
 * {@link UpstreamException} and the HTTP request is reset, so the upstream sees the connection close. The first
 * outcome wins; later ones (including a late cancel) are no-ops. After a success that arrived before the response
 * ended (e.g. right after {@code [DONE]}), the response gets a short grace period to end before it is reset, so a
 * lingering upstream cannot pin a pooled connection.
 */
final class DeadlineGuard<T> {

  private static final long DRAIN_GRACE_MS = 1_000;
  /** Far deadlines (e.g. {@code Long.MAX_VALUE}) are checked in steps of at most this. */
  private static final long MAX_TIMER_MS = 3_600_000;

  private final Vertx vertx;
  private final Promise<T> promise = Promise.promise();
  private final long startedAt;
  private final long deadline;
  private final long firstTokenMs;
  private final long idleMs;

  private long firstTokenBy = -1;
  private boolean idleWatch;
  /** Paused for the caller: only the deadline runs. */
  private boolean waiting;
  private long lastActivity;
  private long timerId = -1;
  private long drainTimerId = -1;
  private HttpClientRequest request;
  private boolean settled;
  private boolean ended;

  private DeadlineGuard(Vertx vertx, UpstreamCall call, UpstreamOptions options, boolean streaming, long now) {
    this.vertx = vertx;
    this.startedAt = now;
    this.deadline = call.deadline();
    this.firstTokenMs = options.firstTokenTimeoutMs();
    this.idleMs = options.idleTimeoutMs();
    if (streaming) {
      firstTokenBy = now + firstTokenMs;
    }
  }

  /**
   * Arms the clocks for {@code call}; must run on {@code context}. The returned guard is already settled when the
   * deadline has passed or the call was cancelled before it started.
   */
  static <T> DeadlineGuard<T> start(Vertx vertx, Context context, UpstreamCall call, UpstreamOptions options,
                                    boolean streaming) {
    long now = System.currentTimeMillis();
    DeadlineGuard<T> guard = new DeadlineGuard<>(vertx, call, options, streaming, now);
    Future<Void> cancel = call.cancel();
    if (now >= call.deadline()) {
      guard.abort(UpstreamErrors.deadline(0));
    } else if (cancel != null && cancel.succeeded()) {
      guard.abort(UpstreamErrors.cancelled());
    } else {
      if (cancel != null) {
        cancel.onSuccess(v -> context.runOnContext(x -> guard.abort(UpstreamErrors.cancelled())));
      }
      guard.schedule();
    }
    return guard;
  }

  Future<T> future() {
    return promise.future();
  }

  boolean settled() {
    return settled;
  }

  /** Remembers the request so it can be reset; resets it at once if the call was already aborted. */
  HttpClientRequest attach(HttpClientRequest req) {
    this.request = req;
    if (settled && promise.future().failed()) {
      req.reset();
    }
    return req;
  }

  /** Stops the first-token clock (if any) and starts the idle clock from now. */
  void startIdleWatch() {
    if (settled || idleWatch) {
      return;
    }
    firstTokenBy = -1;
    idleWatch = true;
    lastActivity = System.currentTimeMillis();
    cancelTimer();
    schedule();
  }

  /** The response is paused until the caller can take more: the idle and first-token clocks stop. */
  void waitForCaller() {
    waiting = true;
  }

  /** The response resumes: the idle clock starts over from now. */
  void callerReady() {
    waiting = false;
    lastActivity = System.currentTimeMillis();
    if (!settled) {
      // the timer may sit at the deadline while waiting: bring the idle clock back
      cancelTimer();
      schedule();
    }
  }

  /** Records activity (a received chunk); pushes the idle clock back. */
  void touch() {
    lastActivity = System.currentTimeMillis();
  }

  /** The response body has been fully received. */
  void responseEnded() {
    ended = true;
    if (drainTimerId >= 0) {
      vertx.cancelTimer(drainTimerId);
      drainTimerId = -1;
    }
  }

  /** Completes the call with the pipeline's outcome (failures are passed on as they are). */
  void settle(AsyncResult<T> ar) {
    if (ar.succeeded()) {
      succeed(ar.result());
    } else {
      fail(ar.cause());
    }
  }

  void succeed(T value) {
    if (settled) {
      return;
    }
    settled = true;
    cancelTimer();
    promise.complete(value);
    if (request != null && !ended) {
      drainTimerId = vertx.setTimer(Math.min(DRAIN_GRACE_MS, idleMs), id -> {
        drainTimerId = -1;
        if (!ended) {
          request.reset();
        }
      });
    }
  }

  /** Fails the call; a response still in flight is reset. */
  void fail(Throwable cause) {
    if (settled) {
      return;
    }
    settled = true;
    cancelTimer();
    if (request != null && !ended) {
      request.reset();
    }
    promise.fail(cause);
  }

  void abort(UpstreamException cause) {
    fail(cause);
  }

  private void schedule() {
    if (settled) {
      return;
    }
    long next = deadline;
    if (firstTokenBy >= 0 && !waiting) {
      next = Math.min(next, firstTokenBy);
    }
    if (idleWatch && !waiting) {
      next = Math.min(next, lastActivity + idleMs);
    }
    long delay = Math.min(MAX_TIMER_MS, Math.max(1, next - System.currentTimeMillis()));
    timerId = vertx.setTimer(delay, id -> {
      timerId = -1;
      check();
    });
  }

  private void check() {
    if (settled) {
      return;
    }
    long now = System.currentTimeMillis();
    if (now >= deadline) {
      abort(UpstreamErrors.deadline(deadline - startedAt));
    } else if (waiting) {
      schedule();
    } else if (firstTokenBy >= 0 && now >= firstTokenBy) {
      abort(UpstreamErrors.firstToken(firstTokenMs));
    } else if (idleWatch && now - lastActivity >= idleMs) {
      abort(UpstreamErrors.idle(idleMs));
    } else {
      schedule();
    }
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
