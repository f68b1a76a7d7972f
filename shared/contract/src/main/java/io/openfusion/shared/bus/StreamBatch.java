package io.openfusion.shared.bus;

import io.vertx.core.buffer.Buffer;

/**
 * One part of a client stream, router → api ({@link StreamSender} to {@link StreamReceiver}): the SSE frames the
 * router produced since the last part, the exact bytes the client receives, behind a 9-byte header. The api writes
 * each part with one socket write and asks for the next once its socket can take more; it confirms the last part once
 * the client has it.
 *
 * <p>Layout: {@code receiver's stream id (8 bytes, written by the sender) | flags (1 byte: 1 = last, 2 = success) |
 * frames}.
 *
 * @param last    whether this part ends the stream
 * @param success on the last part: whether the stream ended without an error
 * @param frames  the frames' bytes (a slice of the message, not a copy)
 */
public record StreamBatch(boolean last, boolean success, Buffer frames) {

  private static final byte LAST = 1;
  private static final byte SUCCESS = 2;
  /** Room for a few frames before the buffer has to grow. */
  private static final int INITIAL_BYTES = 512;

  private static final int FLAGS = Long.BYTES;
  private static final int HEADER = FLAGS + 1;

  /** A new batch with its header left blank, ready for frames to be appended. */
  public static Buffer start() {
    return Buffer.buffer(INITIAL_BYTES).appendLong(0).appendByte((byte) 0);
  }

  /** Sets the flags of a batch made by {@link #start}; the batch is then ready to send. */
  public static Buffer seal(Buffer batch, boolean last, boolean success) {
    return batch.setByte(FLAGS, (byte) ((last ? LAST : 0) | (success ? SUCCESS : 0)));
  }

  /** @return the bytes of frames a batch holds, not counting its header */
  public static int framesLength(Buffer batch) {
    return batch.length() - HEADER;
  }

  /** @return the batch in {@code message}, or null when it is not one */
  public static StreamBatch decode(Object message) {
    if (!(message instanceof Buffer buffer) || buffer.length() < HEADER) {
      return null;
    }
    byte flags = buffer.getByte(FLAGS);
    return new StreamBatch((flags & LAST) != 0, (flags & SUCCESS) != 0, buffer.slice(HEADER, buffer.length()));
  }
}
