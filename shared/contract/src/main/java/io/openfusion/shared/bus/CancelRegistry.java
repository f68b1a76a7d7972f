package io.openfusion.shared.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The work one verticle instance is doing per request, so a client that goes away stops it all.
 *
 * <p>The api publishes {@link Addresses#CANCEL} when a client disconnects; every instance on every node
 * hears it and completes the cancel signals it holds for that request, which resets their upstream
 * HTTP calls. A cancel may also name one call of a request (a panel straggler the router gave up on),
 * which stops only that call. One registry per verticle instance: it is only touched from that
 * instance's event loop.
 */
public final class CancelRegistry {

  private final Map<String, Map<Promise<Void>, String>> open = new HashMap<>();
  /**
   * Requests cancelled recently, so work that arrives after its cancel (the cancel is published, the
   * work is sent point-to-point, and the two may cross) is stopped at once instead of running unseen.
   */
  private final Map<String, Long> recentlyCancelled = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > RECENT_CANCELS || eldest.getValue() < System.currentTimeMillis() - RECENT_CANCEL_MS;
    }
  };
  private static final int RECENT_CANCELS = 10_000;
  private static final long RECENT_CANCEL_MS = 60_000;
  /**
   * Signals open now, kept apart from the map so a metrics scrape on another thread can read it without walking the
   * map; one writer (the owning event loop), so a volatile field is enough.
   */
  private volatile int openSignals;

  /** Starts listening for cancellations; complete the returned consumer's registration before serving. */
  public MessageConsumer<JsonObject> listen(EventBus eventBus) {
    return eventBus.consumer(Addresses.CANCEL, message ->
      cancel(message.body().getString("request_id"), message.body().getString("call_id")));
  }

  /** Publishes that {@code requestId} is cancelled, to every node. */
  public static void publish(EventBus eventBus, String requestId) {
    eventBus.publish(Addresses.CANCEL, new JsonObject().put("request_id", requestId));
  }

  /** Publishes that one call of a request is no longer wanted, to every node. */
  public static void publishCall(EventBus eventBus, String requestId, String callId) {
    eventBus.publish(Addresses.CANCEL, new JsonObject().put("request_id", requestId).put("call_id", callId));
  }

  /** A signal that completes if {@code requestId} is cancelled; call {@link Signal#close()} when the work ends. */
  public Signal open(String requestId) {
    return open(requestId, null);
  }

  /** Like {@link #open(String)}, and also completes when just the call {@code callId} is cancelled. */
  public Signal open(String requestId, String callId) {
    Promise<Void> promise = Promise.promise();
    if (recentlyCancelled.containsKey(requestId)) {
      promise.complete();
      return new Signal(requestId, promise);
    }
    open.computeIfAbsent(requestId, id -> new LinkedHashMap<>()).put(promise, callId == null ? "" : callId);
    openSignals++;
    return new Signal(requestId, promise);
  }

  void cancel(String requestId, String callId) {
    Map<Promise<Void>, String> signals = open.get(requestId);
    if (callId == null) {
      recentlyCancelled.put(requestId, System.currentTimeMillis());
    }
    if (signals == null) {
      return;
    }
    if (callId == null) {
      open.remove(requestId);
      openSignals -= signals.size();
      signals.keySet().forEach(Promise::tryComplete);
      return;
    }
    int before = signals.size();
    signals.entrySet().removeIf(entry -> {
      if (entry.getValue().equals(callId)) {
        entry.getKey().tryComplete();
        return true;
      }
      return false;
    });
    openSignals -= before - signals.size();
    if (signals.isEmpty()) {
      open.remove(requestId);
    }
  }

  /** Signals open now; safe to read from any thread (a gauge of the node's metrics). */
  public int openCount() {
    return openSignals;
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

    public void close() {
      Map<Promise<Void>, String> signals = open.get(requestId);
      if (signals != null) {
        if (signals.remove(promise) != null) {
          openSignals--;
        }
        if (signals.isEmpty()) {
          open.remove(requestId);
        }
      }
    }
  }
}
