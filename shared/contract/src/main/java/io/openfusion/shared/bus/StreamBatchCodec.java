package io.openfusion.shared.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The bus codec of {@link StreamBatch}es: on the wire what the built-in buffer codec writes, but a batch delivered on
 * the same node is handed over as is instead of copied. A batch is never touched again by its sender once sent (the
 * router starts a new one) and only read by the api, so the copy Vert.x makes of every local buffer (each part of
 * every stream) bought nothing.
 */
public final class StreamBatchCodec implements MessageCodec<Buffer, Buffer> {

  public static final String NAME = "openfusion-stream-batch";

  private static final Set<EventBus> REGISTERED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  StreamBatchCodec() {
  }

  /** Registers the codec on {@code bus} once; both ends of a stream call it before the first part can travel. */
  public static void register(EventBus bus) {
    if (REGISTERED.add(bus)) {
      try {
        bus.registerCodec(new StreamBatchCodec());
      } catch (IllegalStateException alreadyThere) {
        // registered by an earlier class loader's copy of this class (an embedding application): the same codec
      }
    }
  }

  /** The delivery options of a stream's parts: the deadline ({@link Deadlines#forParts}) and this codec. */
  public static DeliveryOptions options(long deadline) {
    return Deadlines.forParts(deadline).setCodecName(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Buffer batch) {
    wire.appendInt(batch.length());
    wire.appendBuffer(batch);
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer wire) {
    int length = wire.getInt(pos);
    return wire.getBuffer(pos + 4, pos + 4 + length);
  }

  @Override
  public Buffer transform(Buffer batch) {
    return batch;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
