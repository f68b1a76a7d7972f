package io.openfusion.api.chat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How the answer to one request goes on the wire for the API it came in on. The chat path runs every request as a
 * chat completion; a format translates what comes back: the buffered {@code chat.completion} and, for a stream, its
 * frames. Request-side errors take the route's error shape ({@link io.openfusion.api.http.ErrorFormat}).
 */
public interface WireFormat {

  /** A translator for this request's stream. */
  StreamTranslator stream();

  /**
   * @param completion the buffered {@code chat.completion}
   * @return the body to answer with
   */
  Future<JsonObject> answer(JsonObject completion);

  /** The API the request came in on, as usage reports name it. */
  default String endpoint() {
    return "chat.completions";
  }

  /** Chat completions: the chat path's own answers. */
  WireFormat CHAT = new WireFormat() {
    @Override
    public StreamTranslator stream() {
      return StreamTranslator.chat();
    }

    @Override
    public Future<JsonObject> answer(JsonObject completion) {
      return Future.succeededFuture(completion);
    }
  };
}
