package io.openfusion.api.chat;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Turns one chat-completions stream, as the relay writes it, into the stream a client's API expects. The relay hands
 * over every byte it would write (SSE frames {@code data: {json}}, comments {@code : text}, {@code data: [DONE]}, the
 * error chunk {@code data: {"error": {...}}}, its own {@code : keep-alive} heartbeats) and writes what comes back
 * instead. Pieces may split frames anywhere; an implementation keeps what it has not seen the end of.
 *
 * <p>One instance per stream, used from the relay's event loop only.
 */
public interface StreamTranslator {

  /**
   * @param chat the next bytes of the chat stream, in order
   * @return the bytes to write for them (empty when they complete nothing to send)
   */
  Buffer translate(Buffer chat);

  /** The JSON body of an HTTP error sent instead of the stream, when the request fails before its first byte. */
  JsonObject errorBody(ApiError error);

  /** Whether the translated stream has been given its ending (after which nothing more is written). */
  boolean ended();

  /** The chat stream itself, byte for byte. */
  static StreamTranslator chat() {
    return new StreamTranslator() {
      private boolean ended;

      @Override
      public Buffer translate(Buffer chat) {
        ended |= endsWithDone(chat);
        return chat;
      }

      @Override
      public JsonObject errorBody(ApiError error) {
        return error.toJson();
      }

      @Override
      public boolean ended() {
        return ended;
      }
    };
  }

  private static boolean endsWithDone(Buffer chat) {
    String done = "data: [DONE]\n\n";
    int from = chat.length() - done.length();
    return from >= 0 && chat.getString(from, chat.length()).equals(done);
  }
}
