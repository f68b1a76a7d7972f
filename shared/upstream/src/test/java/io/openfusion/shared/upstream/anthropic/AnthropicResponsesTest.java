package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicResponsesTest {

  private static JsonObject message(String stopReason, JsonObject... blocks) {
    JsonArray content = new JsonArray();
    for (JsonObject b : blocks) {
      content.add(b);
    }
    return new JsonObject().put("id", "msg_1").put("type", "message").put("role", "assistant")
        .put("model", "claude-x").put("content", content).put("stop_reason", stopReason)
        .put("usage", new JsonObject().put("input_tokens", 11).put("output_tokens", 7));
  }

  private static JsonObject text(String t) {
    return new JsonObject().put("type", "text").put("text", t);
  }

  @Test
  void textBlocksAreConcatenatedIntoAFullChatCompletion() {
    JsonObject out = AnthropicResponses.toOpenAi(message("end_turn", text("Hello, "), text("world")), 1700000000L);
    assertThat(out).isEqualTo(new JsonObject()
        .put("id", "msg_1")
        .put("object", "chat.completion")
        .put("created", 1700000000L)
        .put("model", "claude-x")
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", "Hello, world"))
            .put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", 11).put("completion_tokens", 7)
            .put("total_tokens", 18)));
  }

  @Test
  void toolUseBecomesToolCallsWithJsonTextArgumentsAndNullContent() {
    JsonObject tool = new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "weather")
        .put("input", new JsonObject().put("city", "Paris"));
    JsonObject out = AnthropicResponses.toOpenAi(message("tool_use",
        new JsonObject().put("type", "thinking").put("thinking", "hmm"), tool), 1L);
    JsonObject choice = out.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject msg = choice.getJsonObject("message");
    assertThat(msg.containsKey("content")).isTrue();
    assertThat(msg.getValue("content")).isNull();
    assertThat(msg.getJsonArray("tool_calls")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("id", "toolu_1").put("type", "function")
        .put("function", new JsonObject().put("name", "weather").put("arguments", "{\"city\":\"Paris\"}"))));
  }

  @Test
  void stopReasons() {
    assertThat(finish("end_turn")).isEqualTo("stop");
    assertThat(finish("stop_sequence")).isEqualTo("stop");
    assertThat(finish("max_tokens")).isEqualTo("length");
    assertThat(finish("tool_use")).isEqualTo("tool_calls");
    assertThat(finish("refusal")).isEqualTo("content_filter");
    assertThat(finish(null)).isNull();
  }

  private static String finish(String reason) {
    return AnthropicResponses.toOpenAi(message(reason, text("x")), 1L).getJsonArray("choices").getJsonObject(0)
        .getString("finish_reason");
  }

  @Test
  void cacheTokensCountAsPromptTokens() {
    JsonObject m = message("end_turn", text("x")).put("usage", new JsonObject().put("input_tokens", 5)
        .put("cache_creation_input_tokens", 100).put("cache_read_input_tokens", 200).put("output_tokens", 3));
    assertThat(AnthropicResponses.toOpenAi(m, 1L).getJsonObject("usage")).isEqualTo(new JsonObject()
        .put("prompt_tokens", 305).put("completion_tokens", 3).put("total_tokens", 308)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 200)));
  }

  @Test
  void missingFieldsStillGiveAWellFormedCompletion() {
    JsonObject out = AnthropicResponses.toOpenAi(new JsonObject(), 5L);
    assertThat(out.getString("id")).startsWith("chatcmpl-");
    assertThat(out.getString("model")).isEmpty();
    assertThat(out.containsKey("usage")).isFalse();
    assertThat(out.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getValue("content")).isNull();
  }
}
