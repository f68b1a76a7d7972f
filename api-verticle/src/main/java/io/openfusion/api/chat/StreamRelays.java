package io.openfusion.api.chat;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.StreamBatch;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * This api instance's open streams and the one event-bus address all their frames arrive on, as
 * {@link StreamBatch}es. One address per instance (not per request) keeps stream set-up free of
 * cluster-wide registrations.
 */
final class StreamRelays {

  private final Vertx vertx;
  private final String address = Addresses.apiStream(UUID.randomUUID().toString());
  private final Map<String, StreamRelay> open = new HashMap<>();

  StreamRelays(Vertx vertx) {
    this.vertx = vertx;
  }

  MessageConsumer<Buffer> listen() {
    return vertx.eventBus().consumer(address, this::frame);
  }

  String address() {
    return address;
  }

  StreamRelay open(String requestId, HttpServerResponse response, StreamTranslator wire) {
    StreamRelay relay = new StreamRelay(vertx, response, wire, () -> open.remove(requestId));
    open.put(requestId, relay);
    return relay;
  }

  void forget(String requestId) {
    open.remove(requestId);
  }

  void endAll(io.openfusion.shared.error.ApiError error) {
    // copy: ending a relay removes it from the map
    java.util.List.copyOf(open.values()).forEach(relay -> relay.fail(error));
  }

  int size() {
    return open.size();
  }

  private void frame(Message<Buffer> message) {
    StreamBatch batch = StreamBatch.decode(message.body());
    if (batch == null) {
      return; // not a stream batch this build can read
    }
    StreamRelay relay = open.get(batch.requestId());
    if (relay == null) {
      return; // the client is gone; its work is being cancelled
    }
    relay.frames(batch.firstSeq(), batch.count(), batch.frames(), batch.last());
  }
}
