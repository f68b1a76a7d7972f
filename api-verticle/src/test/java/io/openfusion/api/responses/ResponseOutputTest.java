package io.openfusion.api.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseOutputTest {

  private final ResponseShell shell = new ResponseShell(ResponsesRequest.parse(new JsonObject().put("model", "openfusion")
    .put("input", "Hi").put("instructions", "Brief.").put("max_output_tokens", 100), true));

  private static JsonObject completion(JsonObject message, String finish, JsonObject usage) {
    JsonObject completion = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1)
      .put("model", "openfusion").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", message).put("finish_reason", finish)));
    return usage == null ? completion : completion.put("usage", usage);
  }

  @Test
  void anAnswerIsOneCompletedMessageWithUsageAndEchoedSettings() {
    JsonObject usage = new JsonObject().put("prompt_tokens", 122).put("completion_tokens", 16).put("total_tokens", 138)
      .put("cost", 0.01).put("prompt_tokens_details", new JsonObject().put("cached_tokens", 20));

    JsonObject response = ResponseOutput.toResponse(shell, completion(new JsonObject().put("role", "assistant")
      .put("content", "Paris."), "stop", usage).put("analysis", new JsonObject().put("agreement", "high")));

    assertThat(response.getString("id")).isEqualTo(shell.id()).startsWith("resp_");
    assertThat(response.getString("object")).isEqualTo("response");
    assertThat(response.getString("status")).isEqualTo("completed");
    assertThat(response.getString("model")).isEqualTo("openfusion");
    assertThat(response.getString("instructions")).isEqualTo("Brief.");
    assertThat(response.getInteger("max_output_tokens")).isEqualTo(100);
    assertThat(response.getString("output_text")).isEqualTo("Paris.");
    JsonObject item = response.getJsonArray("output").getJsonObject(0);
    assertThat(item.getString("type")).isEqualTo("message");
    assertThat(item.getString("id")).startsWith("msg_");
    assertThat(item.getString("status")).isEqualTo("completed");
    assertThat(item.getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("output_text");
    assertThat(response.getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 122L)
      .put("input_tokens_details", new JsonObject().put("cached_tokens", 20L).put("cache_write_tokens", 0L))
      .put("output_tokens", 16L)
      .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0L)).put("total_tokens", 138L));
    assertThat(response.getJsonObject("openfusion").getJsonObject("usage").getDouble("cost")).isEqualTo(0.01);
    assertThat(response.getJsonObject("openfusion").getJsonObject("analysis").getString("agreement")).isEqualTo("high");
  }

  @Test
  void toolCallsAreFunctionCallItems() {
    JsonObject message = new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
      .add(new JsonObject().put("id", "call_9").put("type", "function").put("function", new JsonObject()
        .put("name", "weather").put("arguments", "{\"city\":\"Paris\"}"))));

    JsonObject response = ResponseOutput.toResponse(shell, completion(message, "tool_calls", null));

    assertThat(response.getJsonArray("output")).hasSize(1);
    JsonObject call = response.getJsonArray("output").getJsonObject(0);
    assertThat(call.getString("type")).isEqualTo("function_call");
    assertThat(call.getString("id")).startsWith("fc_");
    assertThat(call.getString("call_id")).isEqualTo("call_9");
    assertThat(call.getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(response.getValue("usage")).isNull();
    assertThat(response.getString("output_text")).isEmpty();
  }

  @Test
  void anAnswerCutByTheLimitIsIncomplete() {
    JsonObject response = ResponseOutput.toResponse(shell, completion(new JsonObject().put("content", "Once"), "length", null));

    assertThat(response.getString("status")).isEqualTo("incomplete");
    assertThat(response.getJsonObject("incomplete_details").getString("reason")).isEqualTo("max_output_tokens");
    assertThat(response.getJsonArray("output").getJsonObject(0).getString("status")).isEqualTo("incomplete");
  }

  @Test
  void aStoredOutputIsValidInputForTheNextTurn() {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", "Checking.").put("tool_calls",
      new JsonArray().add(new JsonObject().put("id", "call_1").put("type", "function")
        .put("function", new JsonObject().put("name", "w").put("arguments", "{}"))));
    JsonObject response = ResponseOutput.toResponse(shell, completion(message, "tool_calls", null));

    JsonArray conversation = ResponsesFormat.conversation(new JsonArray(), new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "Hi")), response);

    assertThat(conversation).hasSize(2);
    assertThat(conversation.getJsonObject(1).getString("content")).isEqualTo("Checking.");
    assertThat(conversation.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_1");
  }
}
