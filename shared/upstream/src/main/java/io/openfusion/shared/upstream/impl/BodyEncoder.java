package io.openfusion.shared.upstream.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes an upstream request body as {@link JsonObject#toBuffer()} does, without putting a large body on the heap.
 *
 * <p>A request may carry an inline image of up to the body limit (20 MB by default), and a fusion sends it to every
 * member at once. {@code toBuffer()} builds each member's copy on the heap three times over (Jackson's segments, one
 * array, the buffer), and the socket then copies it once more into direct memory to write it. Here a body stays on the
 * heap while it is small, the common case; once it passes {@link #SPILL_BYTES} it continues in direct chunks, which
 * the socket writes as they are. The chunks are freed by the garbage collector once the call lets go of the buffer,
 * never explicitly, so a write still in progress on another event loop can never see its memory reused.
 */
final class BodyEncoder {

  /** Bodies up to this size are kept in one heap array. */
  static final int SPILL_BYTES = 256 * 1024;
  /** Size of each direct chunk of a larger body. */
  static final int CHUNK_BYTES = 1024 * 1024;

  private static final JsonFactory JSON = new JsonFactory();

  private BodyEncoder() {
  }

  static Buffer encode(JsonObject body) {
    Output out = new Output();
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      JacksonCodec.encodeJson(body, generator);
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    }
    return out.toBuffer();
  }

  /** Collects the encoded bytes: a growing heap array, then direct chunks once past {@link #SPILL_BYTES}. */
  static final class Output extends OutputStream {

    private byte[] heap = new byte[1024];
    private int count;
    private List<ByteBuffer> chunks;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      if (chunks == null && count + length > SPILL_BYTES) {
        spill();
      }
      if (chunks == null) {
        if (count + length > heap.length) {
          heap = Arrays.copyOf(heap, Math.min(SPILL_BYTES, Math.max(heap.length * 2, count + length)));
        }
        System.arraycopy(bytes, offset, heap, count, length);
        count += length;
        return;
      }
      while (length > 0) {
        ByteBuffer chunk = chunks.get(chunks.size() - 1);
        if (!chunk.hasRemaining()) {
          chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
          chunks.add(chunk);
        }
        int n = Math.min(length, chunk.remaining());
        chunk.put(bytes, offset, n);
        offset += n;
        length -= n;
      }
    }

    private void spill() {
      chunks = new ArrayList<>();
      chunks.add(ByteBuffer.allocateDirect(CHUNK_BYTES).put(heap, 0, count));
      heap = null;
    }

    Buffer toBuffer() {
      if (chunks == null) {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(heap, 0, count));
      }
      ByteBuffer[] filled = new ByteBuffer[chunks.size()];
      for (int i = 0; i < filled.length; i++) {
        filled[i] = chunks.get(i).flip();
      }
      return BufferInternal.buffer(Unpooled.wrappedBuffer(filled.length, filled));
    }
  }
}
