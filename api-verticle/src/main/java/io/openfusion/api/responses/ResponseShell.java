package io.openfusion.api.responses;

import io.openfusion.api.wire.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code response} objects of one request: the same id, creation time and echoed settings in every event and in
 * the final object, only status, output and usage changing.
 */
final class ResponseShell {

  private final String id = Ids.random("resp_");
  private final long createdAt = System.currentTimeMillis() / 1000;
  private final JsonObject request;
  private final String requestedModel;
  private final boolean store;
  private int items;

  ResponseShell(ResponsesRequest request) {
    this.request = request.body();
    this.requestedModel = request.model();
    this.store = request.store();
  }

  String id() {
    return id;
  }

  /**
   * A new output item's id, carrying this response's id so an {@code item_reference} to it finds the stored response
   * ({@link ItemReferences}).
   */
  String itemId(String prefix) {
    return ItemReferences.itemId(prefix, id, items++);
  }

  String requestedModel() {
    return requestedModel;
  }

  /** What {@code response.created} and {@code response.in_progress} carry. */
  JsonObject inProgress(String model) {
    return base("in_progress", model, new JsonArray());
  }

  /**
   * @param status            completed, incomplete or failed
   * @param usage             the Responses usage object, or null
   * @param incompleteDetails {@code {"reason"}} for an incomplete response, else null
   * @param error             {@code {"code","message"}} for a failed one, else null
   * @param extras            the {@code openfusion} object (usage with cost, panel answers...), or null
   */
  JsonObject finished(String status, String model, JsonArray output, JsonObject usage, JsonObject incompleteDetails,
                      JsonObject error, JsonObject extras) {
    JsonObject response = base(status, model, output)
      .put("incomplete_details", incompleteDetails)
      .put("error", error)
      .put("usage", usage);
    if (!"failed".equals(status)) {
      response.put("output_text", outputText(output));
    }
    if (extras != null) {
      response.put("openfusion", extras);
    }
    return response;
  }

  private JsonObject base(String status, String model, JsonArray output) {
    JsonObject reasoning = request.getValue("reasoning") instanceof JsonObject r ? r : new JsonObject();
    JsonObject text = request.getValue("text") instanceof JsonObject t ? t.copy() : new JsonObject();
    if (!(text.getValue("format") instanceof JsonObject)) {
      text.put("format", new JsonObject().put("type", "text"));
    }
    return new JsonObject()
      .put("id", id)
      .put("object", "response")
      .put("created_at", createdAt)
      .put("status", status)
      .put("background", false)
      .putNull("error")
      .putNull("incomplete_details")
      .put("instructions", request.getValue("instructions"))
      .put("max_output_tokens", request.getValue("max_output_tokens"))
      .put("model", model == null ? requestedModel : model)
      .put("output", output)
      .put("parallel_tool_calls", request.getValue("parallel_tool_calls") instanceof Boolean b ? b : true)
      .put("previous_response_id", request.getValue("previous_response_id"))
      .put("reasoning", new JsonObject().put("effort", reasoning.getValue("effort")).putNull("summary"))
      .put("store", store)
      .put("temperature", request.getValue("temperature"))
      .put("text", text)
      .put("tool_choice", request.getValue("tool_choice") != null ? request.getValue("tool_choice") : "auto")
      .put("tools", request.getValue("tools") instanceof JsonArray tools ? tools : new JsonArray())
      .put("top_p", request.getValue("top_p"))
      .put("truncation", request.getValue("truncation") instanceof String t ? t : "disabled")
      .putNull("usage")
      .put("user", request.getValue("user"))
      .put("metadata", request.getValue("metadata") instanceof JsonObject m ? m : new JsonObject());
  }

  /** What the SDKs derive as {@code output_text}: every output_text part of every message, joined. */
  static String outputText(JsonArray output) {
    StringBuilder text = new StringBuilder();
    for (Object o : output) {
      if (o instanceof JsonObject item && "message".equals(item.getValue("type"))
        && item.getValue("content") instanceof JsonArray parts) {
        for (Object p : parts) {
          if (p instanceof JsonObject part && "output_text".equals(part.getValue("type"))
            && part.getValue("text") instanceof String t) {
            text.append(t);
          }
        }
      }
    }
    return text.toString();
  }
}
