package io.openfusion.shared.upstream.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Encodes the caller's body ({@link BodyEncoder}), fixing the {@code stream} flag on a copy only when it disagrees with
 * the call type.
 */
final class RequestBodies {

  private RequestBodies() {
  }

  static Buffer encode(JsonObject body, boolean streaming) {
    boolean flagged = Boolean.TRUE.equals(body.getValue("stream"));
    if (flagged == streaming) {
      return BodyEncoder.encode(body);
    }
    JsonObject copy = body.copy();
    if (streaming) {
      copy.put("stream", true);
    } else {
      copy.put("stream", false);
      copy.remove("stream_options");
    }
    return BodyEncoder.encode(copy);
  }
}
