package io.openfusion.shared.bus;

import io.netty.util.collection.LongObjectHashMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where one event-loop context's streams are reached: one consumer ({@link Addresses#streamPost}) for the parts, credits
 * and stops of every stream that context sends ({@link StreamSender}) or receives ({@link StreamReceiver}). A part
 * then costs one plain send each way, where a reply chain cost a reply handler and a timer per part on each side; and
 * a stream still registers nothing on the bus (each registration is a cluster-wide write).
 *
 * <p>What arrives names its stream: a {@link Long} is a credit for that sender id; a {@link Buffer} is a part whose
 * first 8 bytes are the receiver's id ({@link StreamBatch}); a {@link JsonObject} carries the id as
 * {@value #STREAM}, and is either a part ({@link SynthesisPart}) or, with {@value #STOP}, the other side's stop.
 * Anything for an id no longer open (the stream ended meanwhile) is dropped. Touched only on its context's thread.
 */
public final class StreamPost {

  /** The stream id in a JSON part or stop. */
  public static final String STREAM = "stream";
  /** In a JSON message: the other side stopped listening ({@code {"status", "message"}}). */
  static final String STOP = "stop";

  private static final String KEY = StreamPost.class.getName();
  /** Open stream ends per Vert.x instance, across its posts: for the node's gauge. */
  private static final Map<Vertx, AtomicInteger> OPEN_BY_NODE = Collections.synchronizedMap(new WeakHashMap<>());

  /** One side of an open stream, told what arrived for it. */
  interface Endpoint {

    /** A part (receivers). */
    default void part(Object body) {
    }

    /** The receiver asks for the next part, or confirms the last (senders). */
    default void credit() {
    }

    /** The other side stopped listening. */
    void stopped(int status, String message);
  }

  private final Vertx vertx;
  private final String address = Addresses.streamPost(UUID.randomUUID().toString());
  /**
   * Open stream ends by their primitive id. With a {@code HashMap<Long, ...>} here, removing a closed stream took 3-4 %
   * of the event loops' time in CPU profiles of streamed pass-through and fusion, though the map held at most a few
   * hundred entries; with this map it is under 0.2 %.
   */
  private final LongObjectHashMap<Endpoint> open = new LongObjectHashMap<>();
  private final Future<Void> ready;
  private final AtomicInteger openOnNode;
  private long lastId;

  private StreamPost(Vertx vertx) {
    this.vertx = vertx;
    this.openOnNode = OPEN_BY_NODE.computeIfAbsent(vertx, node -> new AtomicInteger());
    StreamBatchCodec.register(vertx.eventBus());
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, this::deliver);
    this.ready = consumer.completion();
  }

  /**
   * The post of the calling context, registered on first use: a verticle takes it in {@code start()} and waits for
   * {@link #ready()} there, so its address is known cluster-wide before any stream names it.
   */
  public static StreamPost of(Vertx vertx) {
    return of(vertx.getOrCreateContext());
  }

  /** The post of {@code context}; registered on first use, which must happen on that context's thread. */
  public static StreamPost of(Context context) {
    StreamPost post = context.get(KEY);
    if (post == null) {
      post = new StreamPost(context.owner());
      context.put(KEY, post);
    }
    return post;
  }

  /** Completes once the consumer is registered (cluster-wide when clustered). */
  public Future<Void> ready() {
    return ready;
  }

  public String address() {
    return address;
  }

  Vertx vertx() {
    return vertx;
  }

  long open(Endpoint endpoint) {
    long id = ++lastId;
    open.put(id, endpoint);
    openOnNode.incrementAndGet();
    return id;
  }

  void close(long id) {
    if (open.remove(id) != null) {
      openOnNode.decrementAndGet();
    }
  }

  /** How many stream ends (senders and receivers) are open at this post; read on its context. */
  public int openStreams() {
    return open.size();
  }

  /**
   * How many stream ends are open at all the posts of {@code vertx}, from any thread: 0 once the node is idle, so a
   * count that only grows is a leak.
   */
  public static int openStreams(Vertx vertx) {
    AtomicInteger open = OPEN_BY_NODE.get(vertx);
    return open == null ? 0 : open.get();
  }

  /** A stop for the stream {@code id} at another post. */
  static JsonObject stop(long id, int status, String message) {
    return new JsonObject().put(STREAM, id).put(STOP, new JsonObject().put("status", status).put("message", message));
  }

  private void deliver(Message<Object> message) {
    Object body = message.body();
    if (body instanceof Long credit) {
      Endpoint endpoint = open.get(credit.longValue());
      if (endpoint != null) {
        endpoint.credit();
      }
    } else if (body instanceof Buffer part && part.length() >= Long.BYTES) {
      Endpoint endpoint = open.get(part.getLong(0));
      if (endpoint != null) {
        endpoint.part(part);
      }
    } else if (body instanceof JsonObject json && json.getValue(STREAM) instanceof Number id) {
      Endpoint endpoint = open.get(id.longValue());
      if (endpoint == null) {
        return;
      }
      JsonObject stop = json.getJsonObject(STOP);
      if (stop == null) {
        endpoint.part(json);
      } else {
        endpoint.stopped(stop.getInteger("status", 500), stop.getString("message", "the stream stopped"));
      }
    }
  }
}
