package io.openfusion.shared.demo.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Emits one SSE answer on timers, one word token per chunk. Nothing here blocks: each chunk is
 * scheduled after the previous one, and a client that goes away cancels the pending timer so an
 * abandoned stream costs nothing.
 */
final class DemoStream {

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final DemoChunks.Envelope envelope;
  private final DemoTokens.Plan plan;
  private final JsonObject usage;
  private final long firstDelayMs;
  private final long interDelayMs;
  private final DemoCounters counters;

  private int next;
  private long timerId = -1;
  private boolean headersSent;
  private boolean finished;

  /** @param usage the trailing usage chunk, or {@code null} when the client did not ask for it */
  DemoStream(Vertx vertx, HttpServerResponse response, DemoChunks.Envelope envelope, DemoTokens.Plan plan,
             JsonObject usage, long firstDelayMs, long interDelayMs, DemoCounters counters) {
    this.vertx = vertx;
    this.response = response;
    this.envelope = envelope;
    this.plan = plan;
    this.usage = usage;
    this.firstDelayMs = firstDelayMs;
    this.interDelayMs = interDelayMs;
    this.counters = counters;
  }

  void start() {
    counters.begin();
    response.closeHandler(v -> stop(true));
    response.exceptionHandler(err -> stop(true));
    schedule(firstDelayMs);
  }

  private void schedule(long delayMs) {
    if (delayMs <= 0) {
      emit();
    } else {
      timerId = vertx.setTimer(delayMs, id -> {
        timerId = -1;
        emit();
      });
    }
  }

  private void emit() {
    if (finished) {
      return;
    }
    if (response.closed()) {
      stop(true);
      return;
    }
    if (!headersSent) {
      headersSent = true;
      response.setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    }
    List<String> tokens = plan.tokens();
    // An empty answer still needs one chunk to carry the assistant role.
    int total = Math.max(1, tokens.size());
    do {
      String token = tokens.isEmpty() ? "" : tokens.get(next);
      response.write(DemoChunks.frame(DemoChunks.content(envelope, token, next == 0)));
      next++;
      if (next >= total) {
        complete();
        return;
      }
    } while (interDelayMs <= 0 && !response.writeQueueFull() && !finished);
    if (finished) {
      return;
    }
    if (response.writeQueueFull()) {
      response.drainHandler(v -> {
        response.drainHandler(null);
        schedule(interDelayMs);
      });
    } else {
      schedule(interDelayMs);
    }
  }

  private void complete() {
    StringBuilder tail = new StringBuilder(DemoChunks.frame(DemoChunks.finish(envelope, plan.finishReason())));
    if (usage != null) {
      tail.append(DemoChunks.frame(DemoChunks.usageOnly(envelope, usage)));
    }
    tail.append(DemoChunks.DONE_FRAME);
    stop(false);
    response.end(tail.toString());
  }

  private void stop(boolean cancelled) {
    if (finished) {
      return;
    }
    finished = true;
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    counters.end(cancelled);
  }
}
