package io.openfusion.api.chat;

import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** This api instance's open streams, so a shutdown can end each one cleanly. Touched from the instance's event loop. */
final class StreamRelays {

  private final Vertx vertx;
  private final Set<StreamRelay> open = new HashSet<>();

  StreamRelays(Vertx vertx) {
    this.vertx = vertx;
  }

  StreamRelay open(HttpServerResponse response, StreamTranslator wire, long deadline) {
    StreamRelay[] relay = new StreamRelay[1];
    // the parts come to the post of the context serving the response: this instance's
    relay[0] = new StreamRelay(vertx, StreamPost.of(vertx), response, wire, deadline, () -> open.remove(relay[0]));
    open.add(relay[0]);
    return relay[0];
  }

  void forget(StreamRelay relay) {
    open.remove(relay);
  }

  void endAll(ApiError error) {
    // copy: ending a relay removes it from the set
    List.copyOf(open).forEach(relay -> relay.fail(error));
  }

  int size() {
    return open.size();
  }
}
