package io.openfusion.api.responses;

import io.openfusion.api.chat.StreamTranslator;
import io.openfusion.api.chat.WireFormat;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * One Responses request's answer: the buffered completion or the stream as Responses objects and events, the
 * finished response kept for {@code previous_response_id} when the request stores it.
 */
final class ResponsesFormat implements WireFormat {

  @Override
  public String endpoint() {
    return "responses";
  }


  private final ResponseShell shell;
  /** Keeps a finished response; completes once it is kept (or was not). */
  private final Function<JsonObject, Future<Boolean>> keep;

  ResponsesFormat(ResponseShell shell, Function<JsonObject, Future<Boolean>> keep) {
    this.shell = shell;
    this.keep = keep;
  }

  @Override
  public StreamTranslator stream() {
    // the events are out before the store has the response: a client continuing at once may, rarely, be early
    return new ResponsesStream(shell, keep::apply);
  }

  @Override
  public Future<JsonObject> answer(JsonObject completion) {
    JsonObject response = ResponseOutput.toResponse(shell, completion);
    // answered only once kept, so the client can continue it right away
    return keep.apply(response).map(response);
  }

  /** The conversation a response ends: what led to it, then its own output as chat messages. */
  static JsonArray conversation(JsonArray history, JsonArray input, JsonObject response) {
    JsonArray conversation = new JsonArray();
    history.forEach(conversation::add);
    input.forEach(conversation::add);
    InputItems.addAll(response.getJsonArray("output"), conversation, "output");
    return conversation;
  }
}
