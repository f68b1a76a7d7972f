package io.openfusion.shared.upstream;

import java.util.Objects;

/**
 * Why an upstream call failed. The message is user-facing: it never contains the API key or the request body.
 * Instances carry no stack trace (they are expected outcomes, not bugs).
 */
public final class UpstreamException extends RuntimeException {

  /** Failure category. */
  public enum Kind {
    /** The upstream answered with a non-2xx status; {@link #status()} holds it. */
    HTTP_STATUS,
    /** Deadline, first-token or idle timeout. */
    TIMEOUT,
    /** The connection could not be established (refused, DNS, TLS, connect timeout). */
    CONNECT,
    /** The connection broke after the request was sent. */
    RESET,
    /** A 2xx answer that is not what the protocol promises (invalid JSON, bad SSE payload, ...). */
    BAD_RESPONSE,
    /**
     * The upstream reported an error inside a 2xx answer: an {@code error} payload or {@code event: error} in a
     * stream, a choice finished with {@code "error"}, or an error body sent with status 200. The message carries
     * the provider's own words.
     */
    PROVIDER_ERROR,
    /**
     * A stream that delivered data but ended without its terminator ({@code data: [DONE]}, Anthropic's
     * {@code message_stop}): the answer may be cut short.
     */
    INCOMPLETE_STREAM,
    /** A body or SSE event over the configured limit. */
    TOO_LARGE,
    /** The caller's cancel future completed. */
    CANCELLED
  }

  private final Kind kind;
  private final int status;
  private final long retryAfterMillis;

  public UpstreamException(Kind kind, int status, String message) {
    this(kind, status, message, -1, null);
  }

  public UpstreamException(Kind kind, int status, String message, long retryAfterMillis, Throwable cause) {
    super(message, cause, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.retryAfterMillis = retryAfterMillis;
  }

  /** @return the failure category */
  public Kind kind() {
    return kind;
  }

  /** @return the upstream HTTP status for {@link Kind#HTTP_STATUS}, else 0 */
  public int status() {
    return status;
  }

  /** @return the parsed {@code Retry-After} (seconds or HTTP date) of a 429/503 answer in milliseconds, else -1 */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** @return {@code true} for a 429 answer (the only status the panel retries) */
  public boolean isRateLimited() {
    return kind == Kind.HTTP_STATUS && status == 429;
  }

  @Override
  public String toString() {
    return "UpstreamException[" + kind + (status > 0 ? " " + status : "") + "]: " + getMessage();
  }
}
