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

  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
  private static final byte[] ID = {'i', 'd'};

  /** The first data line of the current event; the builder joins the lines only when there are several. */
  private String single;
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
    // the field name and the colon are ASCII, so they are found in the bytes; only the value becomes a String, once
    int end = len;
    int colon = start;
    while (colon < end && line[colon] != ':') {
      colon++;
    }
    int value = colon;
    if (colon < end) {
      value = colon + 1;
      if (value < end && line[value] == ' ') {
        value++;
      }
    }
    field(start, colon, value, end, len - start);
    if (line.length > 64 * 1024) {
      line = new byte[256];
    }
  }

  private void field(int name, int nameEnd, int value, int end, int bytes) {
    if (is(name, nameEnd, DATA)) {
      String text = new String(line, value, end - value, StandardCharsets.UTF_8);
      if (!hasData) {
        // most events have one data line: its String is the event's data, no builder copy
        single = text;
      } else {
        if (data.length() == 0) {
          data.append(single);
        }
        data.append('\n').append(text);
      }
      hasData = true;
      retained += bytes + 1;
    } else if (is(name, nameEnd, EVENT)) {
      event = value == end ? null : new String(line, value, end - value, StandardCharsets.UTF_8);
      retained += bytes;
    } else if (is(name, nameEnd, ID)) {
      String text = new String(line, value, end - value, StandardCharsets.UTF_8);
      if (text.indexOf('\0') < 0) {
        id = text;
        retained += bytes;
      }
    }
  }

  private boolean is(int from, int to, byte[] name) {
    return to - from == name.length && Arrays.equals(line, from, to, name, 0, name.length);
  }

  private void dispatch() {
    if (!hasData) {
      resetEvent();
      return;
    }
    SseEvent ev = new SseEvent(event, data.length() == 0 ? single : data.toString(), id);
    resetEvent();
    onEvent.handle(ev);
  }

  private void resetEvent() {
    single = null;
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
