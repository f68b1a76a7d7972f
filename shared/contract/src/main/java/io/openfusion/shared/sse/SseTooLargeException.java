package io.openfusion.shared.sse;

/**
 * Thrown by {@link SseParser#handle} when one event (the bytes it retains plus the line being read) grows past the
 * parser's limit. The message never contains event content.
 */
public final class SseTooLargeException extends RuntimeException {

  private final int maxEventBytes;

  public SseTooLargeException(int maxEventBytes) {
    super("SSE event exceeded " + maxEventBytes + " bytes", null, false, false);
    this.maxEventBytes = maxEventBytes;
  }

  /** @return the limit that was exceeded, in bytes */
  public int maxEventBytes() {
    return maxEventBytes;
  }
}
