package io.openfusion.app.cli;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One streamed request in flight. The HTTP response is read on a Vert.x event loop, which only decodes
 * frames and queues {@link TurnEvent}s; the command's own thread takes them with {@link #next} and does all
 * the (blocking) terminal output. {@link #cancel} may be called from any thread, typically a signal
 * handler: it resets the HTTP request, which closes the connection, and the server then cancels every
 * upstream call of the request.
 */
final class Turn {

  private final BlockingQueue<TurnEvent> events = new LinkedBlockingQueue<>();
  private HttpClientRequest request;
  private boolean cancelled;
  private boolean ended;
  private String finishReason;

  /** Called once the request exists; a cancel that came first resets it at once. */
  void attach(HttpClientRequest request) {
    boolean reset;
    synchronized (this) {
      this.request = request;
      reset = cancelled;
    }
    if (reset) {
      request.reset();
    }
  }

  /** Aborts the request. Safe from any thread, any number of times. */
  void cancel() {
    HttpClientRequest toReset;
    synchronized (this) {
      if (cancelled || ended) {
        return;
      }
      cancelled = true;
      toReset = request;
    }
    events.add(new TurnEvent.Cancelled());
    if (toReset != null) {
      toReset.reset();
    }
  }

  synchronized boolean cancelled() {
    return cancelled;
  }

  /**
   * Waits for the next event.
   *
   * @return the event, or null when none arrived within the timeout
   */
  TurnEvent next(long timeoutMs) throws InterruptedException {
    return events.poll(timeoutMs, TimeUnit.MILLISECONDS);
  }

  // --- called on the event loop -------------------------------------------------------------------

  void progress(JsonObject payload) {
    offer(new TurnEvent.Progress(payload));
  }

  void usage(JsonObject payload) {
    offer(new TurnEvent.Usage(payload));
  }

  void analysis(JsonObject payload) {
    offer(new TurnEvent.Analysis(payload));
  }

  /** A {@code data:} frame of the OpenAI stream. */
  void chunk(JsonObject chunk) {
    if (chunk.getValue("error") instanceof JsonObject) {
      fail(ApiFailure.fromJson(0, chunk));
      return;
    }
    if (!(chunk.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()
      || !(choices.getValue(0) instanceof JsonObject choice)) {
      return;
    }
    if (choice.getValue("delta") instanceof JsonObject delta && delta.getValue("content") instanceof String text
      && !text.isEmpty()) {
      offer(new TurnEvent.Content(text));
    }
    if (choice.getValue("finish_reason") instanceof String reason) {
      synchronized (this) {
        finishReason = reason;
      }
    }
  }

  void done() {
    String reason;
    synchronized (this) {
      reason = finishReason;
    }
    end(new TurnEvent.Done(reason));
  }

  void fail(ApiFailure failure) {
    end(new TurnEvent.Failed(failure));
  }

  /** The response ended; without {@code [DONE]} that is a broken stream. */
  void closed() {
    fail(new ApiFailure(0, "stream_ended", "the answer stream ended unexpectedly"));
  }

  private void offer(TurnEvent event) {
    synchronized (this) {
      if (cancelled || ended) {
        return;
      }
    }
    events.add(event);
  }

  private void end(TurnEvent event) {
    synchronized (this) {
      if (cancelled || ended) {
        return;
      }
      ended = true;
    }
    events.add(event);
  }
}
