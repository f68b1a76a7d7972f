package io.openfusion.shared.bus;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

/**
 * Which event loops of this process run a consumer of a work address (the router's {@link Addresses#ROUTER_CHAT}), so
 * a sender can hand its request to an instance on its own thread. A stream crosses between the two verticles twice per
 * part (the part, then its credit); on one thread each crossing is a queued task, across two it is a hand-off between
 * cores, and pass-through then costs about a quarter more CPU per request (bench/RESULTS.md). Both sides still talk
 * only over the event bus: an instance also consumes {@link Addresses#onLoop} of its own thread ({@link #consume}, a
 * local consumer: other nodes never see it) and counts itself here until it stops ({@link #leave}); a sender asks
 * {@link #address} which address to use and gets the shared one, consumed by every instance on every node, when its
 * thread has none.
 */
public final class SameLoop {

  private final String address;
  /** Consuming instances per event-loop thread name, in this Vert.x instance's local shared data. */
  private final LocalMap<String, Integer> instances;

  private SameLoop(String address, LocalMap<String, Integer> instances) {
    this.address = address;
    this.instances = instances;
  }

  /** The instances of {@code address} in {@code vertx}'s process. */
  public static SameLoop of(Vertx vertx, String address) {
    return new SameLoop(address, vertx.sharedData().getLocalMap("openfusion.loops." + address));
  }

  /**
   * Consumes what is sent to this thread's loop address and counts this instance on the loop; call from the
   * instance's own start, on its event loop.
   */
  public MessageConsumer<JsonObject> consume(Vertx vertx, Handler<Message<JsonObject>> handler) {
    String loop = Thread.currentThread().getName();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(Addresses.onLoop(address, loop), handler);
    consumer.completion().onSuccess(registered -> instances.merge(loop, 1, Integer::sum));
    return consumer;
  }

  /**
   * Takes the instance running on {@code loop} out of the count before its consumers go away, so senders stop
   * choosing the loop address once the last instance on it is stopping.
   */
  public void leave(String loop) {
    instances.compute(loop, (name, count) -> count == null || count <= 1 ? null : count - 1);
  }

  /** The address for a request sent from the calling thread: its own loop's instances when it has any, else all. */
  public String address() {
    String loop = Thread.currentThread().getName();
    return instances.get(loop) == null ? address : Addresses.onLoop(address, loop);
  }
}
