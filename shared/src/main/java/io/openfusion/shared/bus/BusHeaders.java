package io.openfusion.shared.bus;

/** Event-bus message headers. */
public final class BusHeaders {

  /** The client request this message belongs to. */
  public static final String REQUEST_ID = "x-request-id";
  /** Position of a stream frame in its request's stream, from 0. */
  public static final String SEQ = "seq";
  /** Present ("1") on the frame that ends a stream. */
  public static final String LAST = "last";
  /** On the last frame: "success" or "error", for the edge's bookkeeping. */
  public static final String OUTCOME = "outcome";

  private BusHeaders() {
  }
}
