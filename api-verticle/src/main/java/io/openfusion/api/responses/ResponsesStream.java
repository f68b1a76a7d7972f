package io.openfusion.api.responses;

import io.openfusion.api.wire.ChatStreamTranslator;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * A chat stream as the Responses API's typed events, each {@code event: <type>} with a {@code data} object carrying
 * {@code type} and {@code sequence_number}: {@code response.created}, {@code response.in_progress}, then per output
 * item {@code response.output_item.added}, its content part or function-call arguments events and
 * {@code response.output_item.done}, and one ending, {@code response.completed} or {@code response.incomplete} with
 * usage, or {@code error} and {@code response.failed}. Nothing else goes out: progress is dropped, the relay's
 * keep-alive stays an SSE comment, which the SDKs skip.
 */
final class ResponsesStream extends ChatStreamTranslator {

  private final ResponseShell shell;
  private final Consumer<JsonObject> onCompleted;
  private final JsonArray output = new JsonArray();
  private int sequence;
  private String model;
  /** The open output item: a message or a function call. */
  private JsonObject item;
  private final StringBuilder text = new StringBuilder();

  /**
   * @param onCompleted receives the final response object of a stream that completed (or was cut short by its token
   *                    limit), to keep it for {@code previous_response_id}
   */
  ResponsesStream(ResponseShell shell, Consumer<JsonObject> onCompleted) {
    this.shell = shell;
    this.onCompleted = onCompleted;
  }

  @Override
  public JsonObject errorBody(ApiError error) {
    return error.toJson();
  }

  @Override
  protected void onStart(String chunkModel) {
    model = chunkModel != null ? chunkModel : shell.requestedModel();
    event("response.created", new JsonObject().put("response", shell.inProgress(model)));
    event("response.in_progress", new JsonObject().put("response", shell.inProgress(model)));
  }

  @Override
  protected void onTextStart() {
    text.setLength(0);
    item = ResponseOutput.message(shell.itemId("msg_"), "in_progress", new JsonArray());
    event("response.output_item.added", new JsonObject().put("output_index", output.size()).put("item", item.copy()));
    event("response.content_part.added", part().put("part", ResponseOutput.outputText("")));
  }

  @Override
  protected void onText(String delta) {
    text.append(delta);
    event("response.output_text.delta", part().put("delta", delta).put("logprobs", new JsonArray()));
  }

  @Override
  protected void onTextEnd() {
    String whole = text.toString();
    event("response.output_text.done", part().put("text", whole).put("logprobs", new JsonArray()));
    JsonObject done = ResponseOutput.outputText(whole);
    event("response.content_part.done", part().put("part", done));
    finishItem(item.put("content", new JsonArray().add(done)));
  }

  @Override
  protected void onToolStart(String callId, String name) {
    text.setLength(0);
    item = ResponseOutput.functionCall(shell.itemId("fc_"), callId, name, "", "in_progress");
    event("response.output_item.added", new JsonObject().put("output_index", output.size()).put("item", item.copy()));
  }

  @Override
  protected void onToolArguments(String delta) {
    text.append(delta);
    event("response.function_call_arguments.delta", new JsonObject().put("item_id", item.getString("id"))
      .put("output_index", output.size()).put("delta", delta));
  }

  @Override
  protected void onToolEnd() {
    String arguments = text.toString();
    event("response.function_call_arguments.done", new JsonObject().put("item_id", item.getString("id"))
      .put("output_index", output.size()).put("name", item.getString("name")).put("arguments", arguments));
    finishItem(item.put("arguments", arguments));
  }

  @Override
  protected void onHeartbeat() {
    emit(SseFrames.comment("keep-alive"));
  }

  @Override
  protected void onDone(String finishReason, String stopReason, JsonObject usage) {
    if (output.isEmpty()) {
      // an empty answer is still one message, as in a buffered response
      onTextStart();
      onTextEnd();
    }
    JsonObject incomplete = ResponseOutput.incomplete(finishReason);
    String status = incomplete == null ? "completed" : "incomplete";
    JsonObject response = shell.finished(status, model, output.copy(), ResponsesUsage.of(usage), incomplete, null,
      extras().toJson());
    event(incomplete == null ? "response.completed" : "response.incomplete", new JsonObject().put("response", response));
    onCompleted.accept(response);
  }

  @Override
  protected void onError(JsonObject error) {
    String code = error.getValue("code") instanceof String c ? c : "server_error";
    String message = error.getValue("message") instanceof String m ? m : "The response failed";
    event("error", new JsonObject().put("code", code).put("message", message).putNull("param"));
    JsonObject failure = new JsonObject().put("code", failureCode(error)).put("message", message);
    event("response.failed", new JsonObject().put("response",
      shell.finished("failed", model, output.copy(), null, null, failure, extras().toJson())));
  }

  /** {@code response.error.code} takes OpenAI's values only; openfusion's own code is in the {@code error} event. */
  private static String failureCode(JsonObject error) {
    return "rate_limit_error".equals(error.getValue("type")) ? "rate_limit_exceeded" : "server_error";
  }

  private JsonObject part() {
    return new JsonObject().put("item_id", item.getString("id")).put("output_index", output.size()).put("content_index", 0);
  }

  private void finishItem(JsonObject finished) {
    // cut by the token limit: the item is as incomplete as the response
    finished.put("status", ResponseOutput.incomplete(finishReason()) == null ? "completed" : "incomplete");
    event("response.output_item.done", new JsonObject().put("output_index", output.size()).put("item", finished.copy()));
    output.add(finished);
    item = null;
  }

  private void event(String type, JsonObject data) {
    JsonObject event = new JsonObject().put("type", type).put("sequence_number", sequence++);
    data.forEach(field -> event.put(field.getKey(), field.getValue()));
    emit(type, event);
  }
}
