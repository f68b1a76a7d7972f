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
 * Pumps a 2xx event-stream response through an {@link SseParser} and the dialect's {@link EventTranslator}: every
 * OpenAI chunk payload it yields is checked by a {@link ChunkTracker} and handed to the caller; the first one (or the
 * first sign of generation) stops the first-token clock. Completes at the end event ({@code [DONE]}, Anthropic's
 * {@code message_stop}; the rest of the response is ignored) or when the response ends; fails on a transport error, a
 * bad payload, an in-band upstream error, an oversized event, an empty stream, or an exception from the caller's
 * handler.
 */
final class SseStreamReader {

  private final HttpClientResponse response;
  private final DeadlineGuard<?> guard;
  private final Handler<String> onData;
  private final EventTranslator translator;
  private final int maxEventBytes;
  private final ChunkTracker tracker = new ChunkTracker();
  private final Promise<StreamResult> promise = Promise.promise();
  private final SseParser parser;

  private SseStreamReader(HttpClientResponse response, DeadlineGuard<?> guard, int maxEventBytes,
                          EventTranslator translator, Handler<String> onData) {
    this.response = response;
    this.guard = guard;
    this.onData = onData;
    this.translator = translator;
    this.maxEventBytes = maxEventBytes;
    this.parser = SseParser.create(maxEventBytes, this::onEvent);
  }

  static Future<StreamResult> read(HttpClientResponse response, DeadlineGuard<?> guard, int maxEventBytes,
                                   EventTranslator translator, Handler<String> onData) {
    return new SseStreamReader(response, guard, maxEventBytes, translator, onData).start();
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
    EventTranslator.Step step = translator.translate(event);
    if (step.progress()) {
      guard.startIdleWatch();
    }
    for (String payload : step.payloads()) {
      if (finished()) {
        return;
      }
      if (tracker.accept(payload)) {
        guard.startIdleWatch();
        onData.handle(payload);
      }
    }
    if (step.done() && !finished()) {
      tracker.done();
      promise.tryComplete(tracker.result());
    }
  }

  /** Also true once the guard has settled (timeout, cancel): later bytes are dropped. */
  private boolean finished() {
    return promise.future().isComplete() || guard.settled();
  }
}
