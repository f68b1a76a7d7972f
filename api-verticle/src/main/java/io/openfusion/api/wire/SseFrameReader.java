package io.openfusion.api.wire;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the chat stream the relay writes back into its SSE frames, whatever pieces it arrives in. Unlike a client's
 * SSE parser it keeps comments: openfusion's own comments ({@code : usage {...}}) carry what other APIs put in their
 * final object. Lines end with LF (a CR before it is dropped); a line is decoded once whole, so a character split
 * across pieces is safe. The input is the proxy's own stream, whose producers already bound every frame.
 */
public final class SseFrameReader {

  /**
   * One frame: its {@code event:} name (null for a plain data frame), its data lines joined by LF (null when it had
   * none) and its comment (null when it had none).
   */
  public record Frame(String event, String data, String comment) {
  }

  private byte[] line = new byte[256];
  private int lineLength;
  private String event;
  private StringBuilder data;
  private String comment;

  /** @return the frames completed by {@code piece}, in order */
  public List<Frame> read(Buffer piece) {
    List<Frame> frames = new ArrayList<>(2);
    byte[] bytes = piece.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        lineDone(frames);
        start = i + 1;
      }
    }
    append(bytes, start, bytes.length - start);
    return frames;
  }

  private void append(byte[] bytes, int from, int length) {
    if (length == 0) {
      return;
    }
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    System.arraycopy(bytes, from, line, lineLength, length);
    lineLength += length;
  }

  private void lineDone(List<Frame> frames) {
    int length = lineLength;
    lineLength = 0;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (length == 0) {
      dispatch(frames);
      return;
    }
    String text = new String(line, 0, length, StandardCharsets.UTF_8);
    if (line.length > 64 * 1024) {
      line = new byte[256];
    }
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + (colon + 1 < text.length() && text.charAt(colon + 1) == ' ' ? 2 : 1));
    switch (name) {
      case "" -> comment = comment == null ? value : comment + "\n" + value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      case "event" -> event = value;
      default -> {
        // id:, retry: and unknown fields mean nothing to a translation
      }
    }
  }

  private void dispatch(List<Frame> frames) {
    if (data != null || comment != null) {
      frames.add(new Frame(event, data == null ? null : data.toString(), comment));
    }
    event = null;
    data = null;
    comment = null;
  }
}
