package io.openfusion.api.messages;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesRequestTest {

  private static JsonObject request(JsonArray messages) {
    return new JsonObject().put("model", "openfusion").put("max_tokens", 256).put("messages", messages);
  }

  private static JsonArray user(Object content) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", content));
  }

  private static ApiError refused(JsonObject body) {
    try {
      MessagesRequest.parse(body);
    } catch (ApiError error) {
      return error;
    }
    throw new AssertionError("accepted " + body.encode());
  }

  @Test
  void systemMessagesAndSamplingHaveTheirChatForms() {
    JsonObject body = request(user("Hi"))
      .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Be brief."))
        .add(new JsonObject().put("type", "text").put("text", "Use French.").put("cache_control", new JsonObject())))
      .put("stop_sequences", new JsonArray().add("END")).put("temperature", 0.2).put("top_p", 0.9).put("top_k", 5)
      .put("metadata", new JsonObject().put("user_id", "u-1")).put("thinking", new JsonObject().put("type", "enabled"));

    JsonObject chat = MessagesRequest.parse(body).chatBody();

    assertThat(chat.getJsonArray("messages")).isEqualTo(new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", "Be brief.\nUse French."))
      .add(new JsonObject().put("role", "user").put("content", "Hi")));
    assertThat(chat.getInteger("max_tokens")).isEqualTo(256);
    assertThat(chat.getJsonArray("stop")).containsExactly("END");
    assertThat(chat.getDouble("temperature")).isEqualTo(0.2);
    assertThat(chat.getString("user")).isEqualTo("u-1");
    assertThat(chat.containsKey("top_k")).isFalse();
    assertThat(chat.containsKey("thinking")).isFalse();
    assertThat(chat.containsKey("stream")).isFalse();
  }

  @Test
  void imagesToolUseAndToolResultsRoundTrip() {
    JsonArray messages = new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "What is in these?"))
        .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
          .put("media_type", "image/png").put("data", "iVBORw0KGgo=")))
        .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "url")
          .put("url", "https://example.com/cat.jpg")))))
      .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
        .add(new JsonObject().put("type", "thinking").put("thinking", "hmm").put("signature", "s"))
        .add(new JsonObject().put("type", "text").put("text", "Let me check."))
        .add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "lookup")
          .put("input", new JsonObject().put("q", "cat")))))
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_1")
          .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "a cat"))))
        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_2").put("content", "timeout")
          .put("is_error", true))
        .add(new JsonObject().put("type", "text").put("text", "Thanks"))));

    JsonArray chat = MessagesRequest.parse(request(messages)).chatBody().getJsonArray("messages");

    assertThat(chat).hasSize(5);
    JsonArray parts = chat.getJsonObject(0).getJsonArray("content");
    assertThat(parts.getJsonObject(1).getJsonObject("image_url").getString("url")).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
    assertThat(parts.getJsonObject(2).getJsonObject("image_url").getString("url")).isEqualTo("https://example.com/cat.jpg");
    JsonObject assistant = chat.getJsonObject(1);
    assertThat(assistant.getString("content")).isEqualTo("Let me check.");
    assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0)).isEqualTo(new JsonObject().put("id", "toolu_1")
      .put("type", "function").put("function", new JsonObject().put("name", "lookup").put("arguments", "{\"q\":\"cat\"}")));
    assertThat(chat.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "toolu_1")
      .put("content", "a cat"));
    assertThat(chat.getJsonObject(3).getString("content")).isEqualTo("Error: timeout");
    assertThat(chat.getJsonObject(4)).isEqualTo(new JsonObject().put("role", "user").put("content", "Thanks"));
  }

  @Test
  void toolsAndToolChoiceHaveTheirChatForms() {
    JsonObject body = request(user("Weather?"))
      .put("tools", new JsonArray().add(new JsonObject().put("name", "weather").put("description", "Now")
        .put("input_schema", new JsonObject().put("type", "object"))))
      .put("tool_choice", new JsonObject().put("type", "any").put("disable_parallel_tool_use", true));

    JsonObject chat = MessagesRequest.parse(body).chatBody();

    assertThat(chat.getJsonArray("tools").getJsonObject(0)).isEqualTo(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "weather").put("description", "Now")
        .put("parameters", new JsonObject().put("type", "object"))));
    assertThat(chat.getString("tool_choice")).isEqualTo("required");
    assertThat(chat.getBoolean("parallel_tool_calls")).isFalse();
    JsonObject named = MessagesRequest.parse(body.copy().put("tool_choice", new JsonObject().put("type", "tool")
      .put("name", "weather"))).chatBody();
    assertThat(named.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "weather")));
  }

  @Test
  void aStreamAsksForUsage() {
    JsonObject chat = MessagesRequest.parse(request(user("Hi")).put("stream", true)).chatBody();

    assertThat(chat.getBoolean("stream")).isTrue();
    assertThat(chat.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  void maxTokensIsRequiredExceptToCount() {
    JsonObject body = new JsonObject().put("model", "openfusion").put("messages", user("Hi"));

    assertThat(refused(body).getMessage()).startsWith("max_tokens: required");
    assertThat(refused(body.copy().put("max_tokens", 0)).code()).isEqualTo("invalid_max_tokens");
    assertThat(MessagesRequest.parseForCount(body.copy().put("stream", true)).chatBody().containsKey("stream")).isFalse();
  }

  @Test
  void badInputAndServerToolsAreRefusedClearly() {
    assertThat(refused(request(new JsonArray())).getMessage()).startsWith("messages: required");
    assertThat(refused(request(new JsonArray().add(new JsonObject().put("role", "system").put("content", "x"))))
      .getMessage()).contains("messages.0.role");
    assertThat(refused(request(user(new JsonArray().add(new JsonObject().put("type", "document")))))
      .code()).isEqualTo("unsupported_parameter");
    assertThat(refused(request(user("x")).put("tools", new JsonArray().add(new JsonObject()
      .put("type", "web_search_20250305").put("name", "web_search")))).getMessage()).contains("web_search_20250305");
    assertThat(refused(request(user("x")).put("tools", new JsonArray().add(new JsonObject().put("name", "t"))))
      .getMessage()).contains("tools.0.input_schema");
    assertThat(refused(request(user(new JsonArray().add(new JsonObject().put("type", "image")
      .put("source", new JsonObject().put("type", "file").put("file_id", "f")))))).getMessage()).contains("source.type 'file'");
    assertThat(refused(request(user("x")).put("mcp_servers", new JsonArray())).getMessage()).startsWith("mcp_servers");
  }
}
