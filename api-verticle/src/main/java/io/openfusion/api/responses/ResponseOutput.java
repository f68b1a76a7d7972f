package io.openfusion.api.responses;

import io.openfusion.api.wire.FusionExtras;
import io.openfusion.api.wire.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A buffered {@code chat.completion} as a {@code response} object, and the pieces streams share with it. */
final class ResponseOutput {

  private ResponseOutput() {
  }

  static JsonObject toResponse(ResponseShell shell, JsonObject completion) {
    JsonObject choice = completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
      && choices.getValue(0) instanceof JsonObject c ? c : new JsonObject();
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    String finish = choice.getValue("finish_reason") instanceof String f ? f : null;
    String itemStatus = incomplete(finish) == null ? "completed" : "incomplete";
    JsonArray output = new JsonArray();
    String text = text(message.getValue("content"));
    JsonArray calls = message.getValue("tool_calls") instanceof JsonArray a ? a : new JsonArray();
    JsonArray parts = new JsonArray();
    if (!text.isEmpty() || calls.isEmpty() && !(message.getValue("refusal") instanceof String)) {
      parts.add(outputText(text));
    }
    if (message.getValue("refusal") instanceof String refusal) {
      parts.add(new JsonObject().put("type", "refusal").put("refusal", refusal));
    }
    if (!parts.isEmpty()) {
      output.add(message(shell.itemId("msg_"), itemStatus, parts));
    }
    for (Object c : calls) {
      if (c instanceof JsonObject call) {
        JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
        output.add(functionCall(shell.itemId("fc_"), call.getValue("id") instanceof String id ? id : Ids.random("call_"),
          function.getValue("name") instanceof String n ? n : "",
          function.getValue("arguments") instanceof String args ? args : "{}", itemStatus));
      }
    }
    FusionExtras extras = new FusionExtras();
    JsonObject usage = completion.getValue("usage") instanceof JsonObject u ? u : null;
    extras.usage(usage);
    extras.analysis(completion.getValue("analysis") instanceof JsonObject a ? a : null);
    String model = completion.getValue("model") instanceof String m && !m.isBlank() ? m : null;
    JsonObject incomplete = incomplete(finish);
    return shell.finished(incomplete == null ? "completed" : "incomplete", model, output, ResponsesUsage.of(usage),
      incomplete, null, extras.toJson());
  }

  /** {@code {"reason"}} when the chat finish reason means the answer was cut, else null. */
  static JsonObject incomplete(String finishReason) {
    if ("length".equals(finishReason)) {
      return new JsonObject().put("reason", "max_output_tokens");
    }
    if ("content_filter".equals(finishReason)) {
      return new JsonObject().put("reason", "content_filter");
    }
    return null;
  }

  static JsonObject message(String id, String status, JsonArray content) {
    return new JsonObject().put("id", id).put("type", "message").put("status", status).put("role", "assistant")
      .put("content", content);
  }

  static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("text", text).put("annotations", new JsonArray())
      .put("logprobs", new JsonArray());
  }

  static JsonObject functionCall(String id, String callId, String name, String arguments, String status) {
    return new JsonObject().put("id", id).put("type", "function_call").put("status", status).put("call_id", callId)
      .put("name", name).put("arguments", arguments);
  }

  /** Chat content is a string, or (from some servers) a list of text parts. */
  private static String text(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
          text.append(t);
        }
      }
    }
    return text.toString();
  }
}
