package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.sse.SseParser;
import io.openfusion.shared.sse.SseTooLargeException;
import io.openfusion.shared.upstream.StreamResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Pumps a 2xx event-stream response through an {@link SseParser}: every data payload except {@code [DONE]} is checked
 * by a {@link ChunkTracker} and handed to the caller; the first one stops the first-token clock. Completes at
 * {@code [DONE]} (the rest of the response is ignored) or when the response ends; fails on a transport error, a bad
 * payload, an oversized event, an empty stream, or an exception from the caller's handler.
 */
final class SseStreamReader {

  private final HttpClientResponse response;
  private final DeadlineGuard<?> guard;
  private final Handler<String> onData;
  private final int maxEventBytes;
  private final ChunkTracker tracker = new ChunkTracker();
  private final Promise<StreamResult> promise = Promise.promise();
  private final SseParser parser;

  private SseStreamReader(HttpClientResponse response, DeadlineGuard<?> guard, int maxEventBytes,
                          Handler<String> onData) {
    this.response = response;
    this.guard = guard;
    this.onData = onData;
    this.maxEventBytes = maxEventBytes;
    this.parser = SseParser.create(maxEventBytes, this::onEvent);
  }

  static Future<StreamResult> read(HttpClientResponse response, DeadlineGuard<?> guard, int maxEventBytes,
                                   Handler<String> onData) {
    return new SseStreamReader(response, guard, maxEventBytes, onData).start();
  }

  private Future<StreamResult> start() {
    response.exceptionHandler(t -> promise.tryFail(UpstreamErrors.transport(t, "mid-stream")));
    response.handler(this::onChunk);
    response.endHandler(v -> onEnd());
    return promise.future();
  }

  private void onChunk(Buffer chunk) {
    guard.touch();
    if (finished()) {
      return;
    }
    try {
      parser.handle(chunk);
    } catch (SseTooLargeException e) {
      promise.tryFail(UpstreamErrors.tooLarge(maxEventBytes));
    } catch (RuntimeException e) {
      promise.tryFail(e);
    }
  }

  private void onEnd() {
    guard.responseEnded();
    if (finished()) {
      return;
    }
    try {
      parser.end();
    } catch (RuntimeException e) {
      promise.tryFail(e);
      return;
    }
    if (tracker.chunks() == 0 && !finished()) {
      promise.tryFail(UpstreamErrors.emptyStream());
    } else {
      promise.tryComplete(tracker.result());
    }
  }

  private void onEvent(SseEvent event) {
    if (finished()) {
      return;
    }
    if (event.isDone()) {
      tracker.done();
      promise.tryComplete(tracker.result());
      return;
    }
    if (!tracker.accept(event.data())) {
      return;
    }
    guard.startIdleWatch();
    onData.handle(event.data());
  }

  /** Also true once the guard has settled (timeout, cancel): later bytes are dropped. */
  private boolean finished() {
    return promise.future().isComplete() || guard.settled();
  }
}
