package io.openfusion.shared.logging;

import org.slf4j.MDC;

import java.util.Objects;

/**
 * The request id of the log lines written while some work runs: the {@value #REQUEST_ID} entry of the SLF4J MDC,
 * which the JSON log lines carry as a top-level field. The MDC belongs to the thread, and an event loop interleaves
 * many requests, so it covers only what runs synchronously inside {@link #run}; it is restored afterwards, never
 * left behind for the next request's work.
 *
 * <p>While tracing is on, the same lines also carry the trace they belong to ({@value #TRACE_ID}, {@value #SPAN_ID}),
 * so a log line leads to its trace and back.
 */
public final class RequestIdMdc {

  /** The MDC key, and the field name in the log lines. */
  public static final String REQUEST_ID = "request_id";
  /** The W3C trace id (32 hex digits) of the work, while tracing is on. */
  public static final String TRACE_ID = "trace_id";
  /** The span (16 hex digits) the work runs in, or the one that asked for it. */
  public static final String SPAN_ID = "span_id";

  private RequestIdMdc() {
  }

  /** Runs {@code work} with {@code requestId} (none when null) as the current request id, then restores the previous one. */
  public static void run(String requestId, Runnable work) {
    String outer = MDC.get(REQUEST_ID);
    if (Objects.equals(outer, requestId)) {
      work.run();
      return;
    }
    set(REQUEST_ID, requestId);
    try {
      work.run();
    } finally {
      set(REQUEST_ID, outer);
    }
  }

  /**
   * Runs {@code work} with the request id and the trace ids as the current ones (a null one is left out), then
   * restores the previous values. Only called while tracing is on: {@link #run(String, Runnable)} is the plain path.
   */
  public static void run(String requestId, String traceId, String spanId, Runnable work) {
    String outerTrace = MDC.get(TRACE_ID);
    String outerSpan = MDC.get(SPAN_ID);
    set(TRACE_ID, traceId);
    set(SPAN_ID, spanId);
    try {
      run(requestId, work);
    } finally {
      set(TRACE_ID, outerTrace);
      set(SPAN_ID, outerSpan);
    }
  }

  private static void set(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
