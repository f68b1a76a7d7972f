package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.sse.SseParser;
import io.openfusion.shared.sse.SseTooLargeException;
import io.openfusion.shared.upstream.Pace;
import io.openfusion.shared.upstream.StreamResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Pumps a 2xx event-stream response through an {@link SseParser} and the dialect's {@link EventTranslator}: every
 * OpenAI chunk payload it yields is checked by a {@link ChunkTracker} and only then handed to the caller; the first
 * one (or the first sign of generation) stops the first-token clock. Completes at the end event ({@code [DONE]},
 * Anthropic's {@code message_stop}; the rest of the response is ignored). Fails on a transport error, a bad payload,
 * an error the upstream reports in the stream, an oversized event, a response that ends before the end event (empty,
 * or cut: the answer may be incomplete), or an exception from the caller's handler. After each network read it asks
 * the caller's {@link Pace}: while the caller is full, the response stays paused and the guard's idle clock stopped.
 */
final class SseStreamReader {

  private final HttpClientResponse response;
  private final DeadlineGuard<?> guard;
  private final Handler<String> onData;
  private final Pace pace;
  private final EventTranslator translator;
  private final int maxEventBytes;
  private final String terminator;
  private final ChunkTracker tracker;
  private final Promise<StreamResult> promise = Promise.promise();
  private final SseParser parser;

  private SseStreamReader(HttpClientResponse response, DeadlineGuard<?> guard, int maxEventBytes,
                          EventTranslator translator, Handler<String> onData, Pace pace, String apiKey) {
    this.response = response;
    this.pace = pace;
    this.terminator = translator.terminator();
    this.tracker = new ChunkTracker(apiKey);
    this.guard = guard;
    this.onData = onData;
    this.translator = translator;
    this.maxEventBytes = maxEventBytes;
    this.parser = SseParser.create(maxEventBytes, this::onEvent);
  }

  static Future<StreamResult> read(HttpClientResponse response, DeadlineGuard<?> guard, int maxEventBytes,
                                   EventTranslator translator, Handler<String> onData, Pace pace, String apiKey) {
    return new SseStreamReader(response, guard, maxEventBytes, translator, onData, pace, apiKey).start();
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
    if (!finished() && pace.full()) {
      response.pause();
      guard.waitForCaller();
      pace.whenReady(this::resume);
    }
  }

  private void resume() {
    if (finished()) {
      return;
    }
    guard.callerReady();
    response.resume();
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
    if (!finished()) {
      promise.tryFail(tracker.chunks() == 0 ? UpstreamErrors.emptyStream() : UpstreamErrors.incomplete(terminator));
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
      promise.tryComplete(tracker.result());
    }
  }

  /** Also true once the guard has settled (timeout, cancel): later bytes are dropped. */
  private boolean finished() {
    return promise.future().isComplete() || guard.settled();
  }
}
