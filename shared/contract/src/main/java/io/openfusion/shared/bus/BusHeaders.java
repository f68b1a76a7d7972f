package io.openfusion.shared.bus;

/**
 * Event-bus message headers. While tracing is on, requests also carry the W3C {@code traceparent} (and
 * {@code tracestate}) of the span that sent them: {@link TraceHeaders}.
 */
public final class BusHeaders {

  /**
   * The client request this message belongs to: set by {@link Deadlines#until} on every request (not on the parts of
   * a stream and their answers, {@link Deadlines#forParts}), and put into the log lines' MDC while the receiving
   * handler runs.
   */
  public static final String REQUEST_ID = "x-request-id";

  /**
   * On a request that opens a stream ({@link StreamReceiver#options}), and on the stream's first part
   * ({@link StreamSender}): the address of the sender's {@link StreamPost}, where the other side's parts, credits and
   * stop go.
   */
  public static final String STREAM_POST = "x-stream-post";
  /** With {@link #STREAM_POST}: the stream's id at that post. */
  public static final String STREAM_ID = "x-stream-id";

  private BusHeaders() {
  }
}
