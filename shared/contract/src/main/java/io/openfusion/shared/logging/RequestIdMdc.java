package io.openfusion.shared.logging;

import org.slf4j.MDC;

import java.util.Objects;

/**
 * The request id of the log lines written while some work runs: the {@value #REQUEST_ID} entry of the SLF4J MDC,
 * which the JSON log lines carry as a top-level field. The MDC belongs to the thread, and an event loop interleaves
 * many requests, so it covers only what runs synchronously inside {@link #run}; it is restored afterwards, never
 * left behind for the next request's work.
 */
public final class RequestIdMdc {

  /** The MDC key, and the field name in the log lines. */
  public static final String REQUEST_ID = "request_id";

  private RequestIdMdc() {
  }

  /** Runs {@code work} with {@code requestId} (none when null) as the current request id, then restores the previous one. */
  public static void run(String requestId, Runnable work) {
    String outer = MDC.get(REQUEST_ID);
    if (Objects.equals(outer, requestId)) {
      work.run();
      return;
    }
    set(requestId);
    try {
      work.run();
    } finally {
      set(outer);
    }
  }

  private static void set(String requestId) {
    if (requestId == null) {
      MDC.remove(REQUEST_ID);
    } else {
      MDC.put(REQUEST_ID, requestId);
    }
  }
}
