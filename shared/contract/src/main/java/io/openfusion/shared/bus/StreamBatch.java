package io.openfusion.shared.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One message on an api instance's stream address: consecutive SSE frames of one request, in order, behind a small
 * binary header that says whose they are and where they go. A producer batches the frames it has ready in one
 * event-loop turn into one message, so the bus carries no per-frame headers and the api writes them with one socket
 * write.
 *
 * <p>Layout: {@code version (1 byte) | flags (1: last, 2: success) | first seq (int) | frame count (int) |
 * request id length (unsigned short) | request id (UTF-8) | frames}. {@code frames} are the exact bytes the client
 * receives; the frames it holds are numbered {@code firstSeq .. firstSeq + count - 1}.
 *
 * @param requestId the client request the frames belong to
 * @param firstSeq  the sequence number of the first frame, from 0 in each stream
 * @param count     how many frames {@code frames} holds (at least 1)
 * @param last      whether the last of them ends the stream
 * @param success   on the last batch: whether the stream ended without an error
 * @param frames    the frames' bytes (a slice of the message, not a copy)
 */
public record StreamBatch(String requestId, int firstSeq, int count, boolean last, boolean success, Buffer frames) {

  static final byte VERSION = 1;
  private static final byte LAST = 1;
  private static final byte SUCCESS = 2;
  private static final int FLAGS_AT = 1;
  private static final int SEQ_AT = 2;
  private static final int COUNT_AT = 6;
  private static final int ID_LENGTH_AT = 10;
  private static final int ID_AT = 12;
  /** Room for a few frames before the buffer has to grow. */
  private static final int INITIAL_FRAMES_BYTES = 512;

  /** The request id as a batch header wants it; encode it once per stream. */
  public static byte[] requestIdBytes(String requestId) {
    byte[] bytes = requestId.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) {
      throw new IllegalArgumentException("request id too long");
    }
    return bytes;
  }

  /** A new batch: the header with its numbers left blank, ready for frames to be appended. */
  public static Buffer start(byte[] requestId) {
    return Buffer.buffer(ID_AT + requestId.length + INITIAL_FRAMES_BYTES)
      .appendByte(VERSION)
      .appendByte((byte) 0)
      .appendInt(0)
      .appendInt(0)
      .appendUnsignedShort(requestId.length)
      .appendBytes(requestId);
  }

  /** Fills in the header of a batch made by {@link #start}; the batch is then ready to send. */
  public static Buffer seal(Buffer batch, int firstSeq, int count, boolean last, boolean success) {
    return batch.setByte(FLAGS_AT, (byte) ((last ? LAST : 0) | (success ? SUCCESS : 0)))
      .setInt(SEQ_AT, firstSeq)
      .setInt(COUNT_AT, count);
  }

  /** @return the batch in {@code message}, or null when it is not a batch this build can read */
  public static StreamBatch decode(Buffer message) {
    if (message == null || message.length() < ID_AT || message.getByte(0) != VERSION) {
      return null;
    }
    int idLength = message.getUnsignedShort(ID_LENGTH_AT);
    int framesAt = ID_AT + idLength;
    int count = message.getInt(COUNT_AT);
    if (message.length() < framesAt || count < 1) {
      return null;
    }
    byte flags = message.getByte(FLAGS_AT);
    return new StreamBatch(message.getString(ID_AT, framesAt, "UTF-8"), message.getInt(SEQ_AT), count,
      (flags & LAST) != 0, (flags & SUCCESS) != 0, message.slice(framesAt, message.length()));
  }
}
