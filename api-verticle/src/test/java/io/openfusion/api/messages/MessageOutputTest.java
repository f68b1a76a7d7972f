package io.openfusion.api.messages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageOutputTest {

  private static JsonObject completion(JsonObject message, String finish, JsonObject usage) {
    JsonObject completion = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion")
      .put("model", "gpt-x-2025").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", message).put("finish_reason", finish)));
    return usage == null ? completion : completion.put("usage", usage);
  }

  @Test
  void anAnswerIsAMessageWithTextAndUsage() {
    JsonObject usage = new JsonObject().put("prompt_tokens", 120).put("completion_tokens", 9).put("total_tokens", 129)
      .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 100)).put("cost", 0.002);

    JsonObject message = MessageOutput.toMessage("msg_1", "gpt-x", new JsonArray(),
      completion(new JsonObject().put("role", "assistant").put("content", "Paris."), "stop", usage));

    assertThat(message.getString("id")).isEqualTo("msg_1");
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("model")).isEqualTo("gpt-x-2025");
    assertThat(message.getJsonArray("content")).isEqualTo(new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "Paris.")));
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.containsKey("stop_sequence")).isTrue();
    // Anthropic counts cache reads apart from input tokens
    assertThat(message.getJsonObject("usage").getLong("input_tokens")).isEqualTo(20);
    assertThat(message.getJsonObject("usage").getLong("cache_read_input_tokens")).isEqualTo(100);
    assertThat(message.getJsonObject("usage").getLong("output_tokens")).isEqualTo(9);
    assertThat(message.getJsonObject("openfusion").getJsonObject("usage").getDouble("cost")).isEqualTo(0.002);
  }

  @Test
  void toolCallsAreToolUseBlocks() {
    JsonObject chat = new JsonObject().put("role", "assistant").put("content", "").put("tool_calls", new JsonArray()
      .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
        .put("name", "weather").put("arguments", "{\"city\":\"Paris\"}")))
      .add(new JsonObject().put("id", "call_2").put("type", "function").put("function", new JsonObject()
        .put("name", "broken").put("arguments", "{not json"))));

    JsonObject message = MessageOutput.toMessage("msg_1", "m", new JsonArray(), completion(chat, "tool_calls", null));

    assertThat(message.getJsonArray("content")).isEqualTo(new JsonArray()
      .add(new JsonObject().put("type", "tool_use").put("id", "call_1").put("name", "weather")
        .put("input", new JsonObject().put("city", "Paris")))
      .add(new JsonObject().put("type", "tool_use").put("id", "call_2").put("name", "broken").put("input", new JsonObject())));
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    assertThat(message.getJsonObject("usage").getLong("input_tokens")).isZero();
  }

  @Test
  void finishReasonsMapToStopReasons() {
    assertThat(MessageOutput.stopReason("length", null)).isEqualTo("max_tokens");
    assertThat(MessageOutput.stopReason("stop", "END")).isEqualTo("stop_sequence");
    assertThat(MessageOutput.stopReason("stop", null)).isEqualTo("end_turn");
    assertThat(MessageOutput.stopReason(null, null)).isEqualTo("end_turn");
    assertThat(MessageOutput.matchedStop("END", new JsonArray().add("END"))).isEqualTo("END");
    assertThat(MessageOutput.matchedStop(42, new JsonArray().add("END"))).isNull();
  }
}
