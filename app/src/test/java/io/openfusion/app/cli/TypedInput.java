package io.openfusion.app.cli;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/** Keyboard input for a test terminal: text typed by the test thread, read by the terminal's input pump. */
final class TypedInput extends InputStream {

  private static final int EOF = -1;
  private final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();

  void type(String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xFF);
    }
  }

  /** Ctrl-C. */
  void interrupt() {
    bytes.add(3);
  }

  /** Ctrl-D / end of input. */
  void end() {
    bytes.add(EOF);
  }

  @Override
  public int read() {
    try {
      int b = bytes.take();
      if (b == EOF) {
        bytes.add(EOF);
      }
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EOF;
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    int first = read();
    if (first == EOF) {
      return EOF;
    }
    buffer[offset] = (byte) first;
    int n = 1;
    while (n < length) {
      Integer next = bytes.peek();
      if (next == null || next == EOF) {
        break;
      }
      buffer[offset + n++] = (byte) (int) bytes.poll();
    }
    return n;
  }

  @Override
  public int available() {
    Integer next = bytes.peek();
    return next == null || next == EOF ? 0 : bytes.size();
  }
}
