package io.openfusion.shared.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The work one verticle instance is doing per request, so a client that goes away stops it all.
 *
 * <p>The api publishes {@link Addresses#CANCEL} when a client disconnects; every instance on every node
 * hears it and completes the cancel signals it holds for that request, which resets their upstream
 * HTTP calls. One registry per verticle instance: it is only touched from that instance's event loop.
 */
public final class CancelRegistry {

  private final Map<String, Set<Promise<Void>>> open = new HashMap<>();

  /** Starts listening for cancellations; complete the returned consumer's registration before serving. */
  public MessageConsumer<JsonObject> listen(EventBus eventBus) {
    return eventBus.consumer(Addresses.CANCEL, message -> cancel(message.body().getString("request_id")));
  }

  /** Publishes that {@code requestId} is cancelled, to every node. */
  public static void publish(EventBus eventBus, String requestId) {
    eventBus.publish(Addresses.CANCEL, new JsonObject().put("request_id", requestId));
  }

  /** A signal that completes if {@code requestId} is cancelled; call {@link Signal#close()} when the work ends. */
  public Signal open(String requestId) {
    Promise<Void> promise = Promise.promise();
    open.computeIfAbsent(requestId, id -> new LinkedHashSet<>()).add(promise);
    return new Signal(requestId, promise);
  }

  void cancel(String requestId) {
    Set<Promise<Void>> promises = open.remove(requestId);
    if (promises != null) {
      promises.forEach(Promise::tryComplete);
    }
  }

  public int openCount() {
    return open.values().stream().mapToInt(Set::size).sum();
  }

  /** One piece of cancellable work. */
  public final class Signal {
    private final String requestId;
    private final Promise<Void> promise;

    private Signal(String requestId, Promise<Void> promise) {
      this.requestId = requestId;
      this.promise = promise;
    }

    public Future<Void> future() {
      return promise.future();
    }

    public boolean cancelled() {
      return promise.future().isComplete();
    }

    public void close() {
      Set<Promise<Void>> promises = open.get(requestId);
      if (promises != null) {
        promises.remove(promise);
        if (promises.isEmpty()) {
          open.remove(requestId);
        }
      }
    }
  }
}
