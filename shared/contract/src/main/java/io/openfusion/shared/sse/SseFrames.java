package io.openfusion.shared.sse;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Formats outgoing SSE frames for the proxy's own streams. Every frame ends with the blank line that dispatches it.
 * Values containing line breaks (never the case for {@code JsonObject#encode()}) are split over several lines so the
 * frame stays well formed.
 */
public final class SseFrames {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
  private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FRAME_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseFrames() {
  }

  /** @return {@code "data: " + json + "\n\n"} */
  public static Buffer data(String json) {
    return Buffer.buffer(field(new StringBuilder(json.length() + 8), "data", json).append('\n').toString());
  }

  /**
   * Appends {@code "data: " + json + "\n\n"} to {@code target}: the same bytes as {@link #data}, without building
   * an intermediate string and buffer for the usual single-line value.
   *
   * @return {@code target}
   */
  public static Buffer appendData(Buffer target, String json) {
    if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
      return target.appendBuffer(data(json));
    }
    return target.appendBytes(DATA_PREFIX).appendString(json).appendBytes(FRAME_END);
  }

  /**
   * Appends {@code "data: " + json + "\n\n"} where {@code json} is already UTF-8 and a single line (the proxy's own
   * encoders never write a line break).
   *
   * @return {@code target}
   */
  public static Buffer appendData(Buffer target, byte[] json) {
    return target.appendBytes(DATA_PREFIX).appendBytes(json).appendBytes(FRAME_END);
  }

  /** @return {@code "event: " + name + "\ndata: " + json + "\n\n"} */
  public static Buffer event(String name, String json) {
    StringBuilder sb = new StringBuilder(json.length() + name.length() + 16);
    field(sb, "event", singleLine(name));
    return Buffer.buffer(field(sb, "data", json).append('\n').toString());
  }

  /** @return {@code "data: [DONE]\n\n"} */
  public static Buffer done() {
    return DONE.copy();
  }

  /** @return {@code ": " + text + "\n\n"} (a comment, e.g. a keep-alive) */
  public static Buffer comment(String text) {
    return Buffer.buffer(field(new StringBuilder(text.length() + 4), "", text).append('\n').toString());
  }

  private static StringBuilder field(StringBuilder sb, String name, String value) {
    int start = 0;
    int len = value.length();
    for (int i = 0; i <= len; i++) {
      char c = i < len ? value.charAt(i) : '\n';
      if (c == '\n' || c == '\r') {
        sb.append(name).append(": ").append(value, start, i).append('\n');
        if (c == '\r' && i + 1 < len && value.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    return sb;
  }

  private static String singleLine(String s) {
    return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\r', ' ').replace('\n', ' ');
  }
}
