package io.openfusion.shared.bus;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

/**
 * Which event loops of this process run a router instance, so an api instance can hand a chat to a router on its own
 * thread. A streamed request crosses the api-router boundary twice per part (the part, then its credit); on one
 * thread each crossing is a queued task, across two it is a hand-off between cores, and pass-through then costs about
 * a quarter more CPU per request (bench/RESULTS.md). Both sides still talk only over the event bus: a router instance also consumes
 * {@link Addresses#routerChatOnLoop} for its own thread ({@link #consume}, a local consumer: other nodes never see
 * it), and counts itself here until it stops ({@link #leave}); the api asks {@link #chatAddress} which address to use
 * and falls back to {@link Addresses#ROUTER_CHAT}, shared by every router on every node, when its thread has none.
 */
public final class SameLoopRouters {

  /** Router instances per event-loop thread name, in this Vert.x instance's local shared data. */
  private static final String MAP = "openfusion.router.loops";

  private final LocalMap<String, Integer> routers;

  private SameLoopRouters(LocalMap<String, Integer> routers) {
    this.routers = routers;
  }

  public static SameLoopRouters of(Vertx vertx) {
    return new SameLoopRouters(vertx.sharedData().getLocalMap(MAP));
  }

  /**
   * Consumes chats sent to this thread's loop address and counts this router instance on it; call from the
   * instance's own start, on its event loop.
   */
  public MessageConsumer<JsonObject> consume(Vertx vertx, Handler<Message<JsonObject>> chats) {
    String loop = Thread.currentThread().getName();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(Addresses.routerChatOnLoop(loop), chats);
    consumer.completion().onSuccess(registered -> routers.merge(loop, 1, Integer::sum));
    return consumer;
  }

  /**
   * Takes the router instance running on {@code loop} out of the count before its consumers go away, so an api
   * instance stops choosing the loop address once the last router on it is stopping.
   */
  public void leave(String loop) {
    routers.compute(loop, (name, count) -> count == null || count <= 1 ? null : count - 1);
  }

  /** The address for a chat sent from the calling thread: its own loop's routers when it has any, else everyone's. */
  public String chatAddress() {
    String loop = Thread.currentThread().getName();
    return routers.get(loop) == null ? Addresses.ROUTER_CHAT : Addresses.routerChatOnLoop(loop);
  }
}
