package io.openfusion.shared.bus;

import io.vertx.core.buffer.Buffer;

/**
 * One part of a client stream, router → api, as a reply along the {@link Addresses#ROUTER_CHAT} chain
 * ({@link ReplyChain}): the SSE frames the router produced since the last part, the exact bytes the client receives,
 * behind a one-byte header. The api writes each part with one socket write and answers it when its socket can take
 * more (that answer is the router's credit); it answers the last part once the client has it.
 *
 * <p>Layout: {@code flags (1 byte: 1 = last, 2 = success) | frames}.
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

  /** A new batch with its flags left blank, ready for frames to be appended. */
  public static Buffer start() {
    return Buffer.buffer(INITIAL_BYTES).appendByte((byte) 0);
  }

  /** Sets the flags of a batch made by {@link #start}; the batch is then ready to send. */
  public static Buffer seal(Buffer batch, boolean last, boolean success) {
    return batch.setByte(0, (byte) ((last ? LAST : 0) | (success ? SUCCESS : 0)));
  }

  /** @return the bytes of frames a batch holds, not counting its header */
  public static int framesLength(Buffer batch) {
    return batch.length() - 1;
  }

  /** @return the batch in {@code message}, or null when it is not one */
  public static StreamBatch decode(Object message) {
    if (!(message instanceof Buffer buffer) || buffer.length() < 1) {
      return null;
    }
    byte flags = buffer.getByte(0);
    return new StreamBatch((flags & LAST) != 0, (flags & SUCCESS) != 0, buffer.slice(1, buffer.length()));
  }
}
