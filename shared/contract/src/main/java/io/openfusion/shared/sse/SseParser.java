package io.openfusion.shared.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental SSE decoder (WHATWG "event stream interpretation"): feed buffers as they arrive, complete events are
 * handed to the handler in order.
 * <ul>
 *   <li>lines end with CRLF, LF or a lone CR, also when the CR and the LF arrive in different buffers;</li>
 *   <li>lines starting with {@code :} are comments and are dropped; unknown fields and {@code retry:} are ignored;</li>
 *   <li>{@code data:} with or without the single leading space; several data lines are joined with {@code "\n"};</li>
 *   <li>an event is dispatched on a blank line, and only if it had at least one data line;</li>
 *   <li>a leading UTF-8 byte order mark is skipped; lines are decoded as UTF-8 once complete, so multi-byte
 *       characters split across buffers are safe.</li>
 * </ul>
 * Memory is bounded: when the bytes retained for the current event plus the current partial line exceed
 * {@code maxEventBytes}, {@link #handle} throws {@link SseTooLargeException}; the parser is then dead and ignores any
 * further input. The parser is not thread-safe: call it from one thread (the event loop of the response).
 * It does not use {@code RecordParser} because a lone CR line end cannot be expressed as one delimiter.
 */
public final class SseParser implements Handler<Buffer> {

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final int maxEventBytes;
  private final Handler<SseEvent> onEvent;

  private byte[] line = new byte[256];
  private int lineLen;
  private boolean pendingLf;
  private boolean bomChecked;
  private boolean failed;

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String event;
  private String id;
  private int retained;

  private SseParser(int maxEventBytes, Handler<SseEvent> onEvent) {
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be > 0");
    }
    this.maxEventBytes = maxEventBytes;
    this.onEvent = Objects.requireNonNull(onEvent, "onEvent");
  }

  /**
   * @param maxEventBytes the largest event (retained field bytes plus the line being read) accepted
   * @param onEvent       receives every complete event, in order
   */
  public static SseParser create(int maxEventBytes, Handler<SseEvent> onEvent) {
    return new SseParser(maxEventBytes, onEvent);
  }

  /**
   * Feeds the next piece of the stream.
   *
   * @throws SseTooLargeException when the current event grows past the limit
   */
  @Override
  public void handle(Buffer chunk) {
    if (failed || chunk.length() == 0) {
      return;
    }
    byte[] bytes = chunk.getBytes();
    int n = bytes.length;
    int i = 0;
    if (pendingLf) {
      pendingLf = false;
      if (bytes[0] == LF) {
        i = 1;
      }
    }
    int segment = i;
    for (; i < n; i++) {
      byte b = bytes[i];
      if (b == LF || b == CR) {
        append(bytes, segment, i - segment);
        if (b == CR) {
          if (i + 1 < n) {
            if (bytes[i + 1] == LF) {
              i++;
            }
          } else {
            pendingLf = true;
          }
        }
        segment = i + 1;
        lineComplete();
        if (failed) {
          return;
        }
      }
    }
    append(bytes, segment, n - segment);
  }

  /** Flushes at end of stream: a last line without terminator is processed and a pending event is dispatched. */
  public void end() {
    if (failed) {
      return;
    }
    if (lineLen > 0) {
      lineComplete();
    }
    pendingLf = false;
    dispatch();
  }

  private void append(byte[] bytes, int from, int len) {
    if (len == 0) {
      return;
    }
    if ((long) retained + lineLen + len > maxEventBytes) {
      failed = true;
      resetEvent();
      line = new byte[0];
      lineLen = 0;
      throw new SseTooLargeException(maxEventBytes);
    }
    if (lineLen + len > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + len));
    }
    System.arraycopy(bytes, from, line, lineLen, len);
    lineLen += len;
  }

  private void lineComplete() {
    int len = lineLen;
    lineLen = 0;
    int start = 0;
    if (!bomChecked) {
      bomChecked = true;
      if (len >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
        start = 3;
      }
    }
    if (len - start == 0) {
      dispatch();
      return;
    }
    if (line[start] == ':') {
      return;
    }
    String text = new String(line, start, len - start, StandardCharsets.UTF_8);
    if (line.length > 64 * 1024) {
      line = new byte[256];
    }
    field(text, len - start);
  }

  private void field(String text, int bytes) {
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    String value = "";
    if (colon >= 0) {
      int v = colon + 1;
      if (v < text.length() && text.charAt(v) == ' ') {
        v++;
      }
      value = text.substring(v);
    }
    switch (name) {
      case "data":
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
        retained += bytes + 1;
        break;
      case "event":
        event = value.isEmpty() ? null : value;
        retained += bytes;
        break;
      case "id":
        if (value.indexOf('\0') < 0) {
          id = value;
          retained += bytes;
        }
        break;
      default:
        break;
    }
  }

  private void dispatch() {
    if (!hasData) {
      resetEvent();
      return;
    }
    SseEvent ev = new SseEvent(event, data.toString(), id);
    resetEvent();
    onEvent.handle(ev);
  }

  private void resetEvent() {
    data.setLength(0);
    if (data.capacity() > 64 * 1024) {
      data.trimToSize();
    }
    hasData = false;
    event = null;
    id = null;
    retained = 0;
  }
}
