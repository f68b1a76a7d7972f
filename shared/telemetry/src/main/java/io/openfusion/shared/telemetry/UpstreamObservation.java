package io.openfusion.shared.telemetry;

import io.openfusion.shared.logging.RequestIdMdc;
import io.openfusion.shared.tracing.CallSpan;
import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream call being timed: created just before the call, finished once with its result. Meant for
 * {@code client.complete(call).andThen(observation::completed)}; a retried call needs one observation per attempt,
 * because each attempt is its own HTTP call.
 */
public final class UpstreamObservation {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamObservation.class);

  private final Telemetry telemetry;
  private final Phase phase;
  private final String label;
  private final String model;
  private final boolean stream;
  private final String requestId;
  /** The call's span, or null when the node has no traces. */
  private final CallSpan span;
  private final long startedNanos = System.nanoTime();
  private final AtomicInteger chunks = new AtomicInteger();
  private final AtomicBoolean counting = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();

  UpstreamObservation(Telemetry telemetry, Phase phase, String label, String model, boolean stream, String requestId,
                      CallSpan span) {
    this.span = span;
    this.telemetry = telemetry;
    this.phase = phase;
    this.label = label;
    this.model = model;
    this.stream = stream;
    this.requestId = requestId;
  }

  /** Wraps a stream's data handler so a stream that fails midway still reports how many chunks it delivered. */
  public Handler<String> counting(Handler<String> onData) {
    counting.set(true);
    if (span != null) {
      return data -> {
        chunks.incrementAndGet();
        span.chunk(data);
        onData.handle(data);
      };
    }
    return data -> {
      chunks.incrementAndGet();
      onData.handle(data);
    };
  }

  /** Finishes a non-streamed call. */
  public void completed(AsyncResult<JsonObject> done) {
    if (done.succeeded()) {
      JsonObject response = done.result();
      if (span != null) {
        span.completed(response);
      }
      JsonObject usage = response != null && response.getValue("usage") instanceof JsonObject u ? u : null;
      finish(200, null, Outcome.SUCCESS, null, usage);
    } else {
      failed(done.cause());
    }
  }

  /**
   * Finishes a streamed call. Only a whole stream succeeds: one cut before its terminator, or carrying an error the
   * upstream reported, fails in the client (errors {@code incomplete_stream}, {@code provider_error}), so it is
   * recorded as an error with the chunks it delivered.
   */
  public void streamed(AsyncResult<StreamResult> done) {
    if (done.succeeded()) {
      StreamResult result = done.result();
      if (span != null) {
        span.streamed(result.finishReason());
      }
      finish(200, null, Outcome.SUCCESS, result.chunks(), result.usage());
    } else {
      failed(done.cause());
    }
  }

  /** Finishes a call that failed (an in-stream upstream error included). */
  public void failed(Throwable failure) {
    Integer counted = stream && counting.get() ? chunks.get() : null;
    if (failure instanceof UpstreamException upstream) {
      UpstreamException.Kind kind = upstream.kind();
      boolean cancelled = kind == UpstreamException.Kind.CANCELLED;
      Integer status = kind == UpstreamException.Kind.HTTP_STATUS && upstream.status() > 0 ? upstream.status() : null;
      finish(status, kind.name().toLowerCase(Locale.ROOT), cancelled ? Outcome.CANCELLED : Outcome.ERROR, counted, null);
    } else {
      // never the exception's message: an upstream's or a handler's message may quote the prompt
      finish(null, "other", Outcome.ERROR, counted, null);
    }
  }

  private void finish(Integer status, String error, Outcome outcome, Integer chunkCount, JsonObject usage) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    try {
      UpstreamCallRecord record = new UpstreamCallRecord(phase, label, model, stream, status, error, outcome, latencyMs,
        stream ? chunkCount : null, usage, requestId);
      if (span == null) {
        telemetry.upstreamCall(record);
      } else {
        span.end(status, error, outcome.wire(), stream ? chunkCount : null, usage);
        // the call's log line names its span
        RequestIdMdc.run(requestId, span.traceId(), span.spanId(), () -> telemetry.upstreamCall(record));
      }
    } catch (RuntimeException e) {
      // bookkeeping must never change what the caller sees
      LOG.warn("could not record an upstream call: {}", e.getClass().getName());
    }
  }
}
