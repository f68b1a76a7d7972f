package io.openfusion.api.messages;

import io.openfusion.api.wire.ChatStreamTranslator;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A chat stream as Anthropic's Messages events: {@code message_start}, per content block {@code content_block_start},
 * {@code content_block_delta} ({@code text_delta} or {@code input_json_delta}) and {@code content_block_stop}, then
 * {@code message_delta} with the stop reason and usage, and {@code message_stop}; a failure is {@code event: error}.
 * The relay's keep-alive becomes {@code ping}; progress is dropped.
 */
final class MessagesStream extends ChatStreamTranslator {

  private final String id;
  private final String requestedModel;
  private final JsonArray stopSequences;
  private int index;

  MessagesStream(String id, String requestedModel, JsonArray stopSequences) {
    this.id = id;
    this.requestedModel = requestedModel;
    this.stopSequences = stopSequences;
  }

  @Override
  public JsonObject errorBody(ApiError error) {
    return MessagesErrors.body(error);
  }

  @Override
  protected void onStart(String model) {
    // input tokens are known only at the end: message_delta reports them
    JsonObject message = new JsonObject()
      .put("id", id)
      .put("type", "message")
      .put("role", "assistant")
      .put("model", model != null ? model : requestedModel)
      .put("content", new JsonArray())
      .putNull("stop_reason")
      .putNull("stop_sequence")
      .put("usage", MessageOutput.usage(null));
    event("message_start", new JsonObject().put("message", message));
  }

  @Override
  protected void onTextStart() {
    event("content_block_start", new JsonObject().put("index", index)
      .put("content_block", new JsonObject().put("type", "text").put("text", "")));
  }

  @Override
  protected void onText(String delta) {
    event("content_block_delta", new JsonObject().put("index", index)
      .put("delta", new JsonObject().put("type", "text_delta").put("text", delta)));
  }

  @Override
  protected void onTextEnd() {
    blockStop();
  }

  @Override
  protected void onToolStart(String callId, String name) {
    event("content_block_start", new JsonObject().put("index", index).put("content_block", new JsonObject()
      .put("type", "tool_use").put("id", callId).put("name", name).put("input", new JsonObject())));
  }

  @Override
  protected void onToolArguments(String delta) {
    event("content_block_delta", new JsonObject().put("index", index)
      .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", delta)));
  }

  @Override
  protected void onToolEnd() {
    blockStop();
  }

  @Override
  protected void onHeartbeat() {
    event("ping", new JsonObject());
  }

  @Override
  protected void onDone(String finishReason, String stopReason, JsonObject usage) {
    String matched = MessageOutput.matchedStop(stopReason, stopSequences);
    JsonObject delta = new JsonObject().put("type", "message_delta")
      .put("delta", new JsonObject().put("stop_reason", MessageOutput.stopReason(finishReason, matched))
        .put("stop_sequence", matched))
      .put("usage", MessageOutput.usage(usage));
    JsonObject extras = extras().toJson();
    if (extras != null) {
      delta.put("openfusion", extras);
    }
    emit("message_delta", delta);
    event("message_stop", new JsonObject());
  }

  @Override
  protected void onError(JsonObject error) {
    String message = error.getValue("message") instanceof String m ? m : "The answer failed";
    event("error", new JsonObject().put("error", MessagesErrors.errorObject(MessagesErrors.status(error), message)));
  }

  private void blockStop() {
    event("content_block_stop", new JsonObject().put("index", index));
    index++;
  }

  /** {@code event: <type>} whose data starts with the same {@code type}. */
  private void event(String type, JsonObject data) {
    JsonObject event = new JsonObject().put("type", type);
    data.forEach(field -> event.put(field.getKey(), field.getValue()));
    emit(type, event);
  }
}
