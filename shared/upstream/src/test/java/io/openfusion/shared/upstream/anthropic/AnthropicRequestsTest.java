package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenAI request → Anthropic Messages request, with each bug of the original's translation asserted fixed. */
class AnthropicRequestsTest {

  private static JsonObject msg(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject body(JsonObject... messages) {
    JsonArray list = new JsonArray();
    for (JsonObject m : messages) {
      list.add(m);
    }
    return new JsonObject().put("model", "claude-x").put("messages", list);
  }

  private static JsonObject text(String t) {
    return new JsonObject().put("type", "text").put("text", t);
  }

  private static JsonObject ephemeral() {
    return new JsonObject().put("type", "ephemeral");
  }

  private static JsonObject translate(JsonObject body) {
    return AnthropicRequests.fromOpenAi(body, false);
  }

  @Test
  void simpleConversationKeepsModelAndDefaultsMaxTokens() {
    JsonObject out = translate(body(msg("user", "hi")));
    assertThat(out).isEqualTo(new JsonObject()
        .put("model", "claude-x")
        .put("messages", new JsonArray().add(msg("user", "hi")))
        .put("max_tokens", 1024));
  }

  @Test
  void everySystemMessageIsKeptJoinedWithBlankLines() {
    JsonObject out = translate(body(msg("system", "first"), msg("user", "q"), msg("system", "second"),
        msg("developer", "third")));
    assertThat(out.getValue("system")).isEqualTo("first\n\nsecond\n\nthird");
    assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray().add(msg("user", "q")));
  }

  @Test
  void listSystemContentIsItsTextNotAStringifiedList() {
    JsonObject out = translate(body(
        msg("system", new JsonArray().add(text("be ")).add(text("brief"))
            .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "x")))),
        msg("user", "q")));
    assertThat(out.getValue("system")).isEqualTo("be brief");
  }

  @Test
  void systemCacheControlIsPreservedAsSystemBlocks() {
    JsonObject cached = text("long shared context").put("cache_control", ephemeral());
    JsonObject out = translate(body(msg("system", "rules"), msg("system", new JsonArray().add(cached)),
        msg("user", "q")));
    assertThat(out.getValue("system")).isEqualTo(new JsonArray()
        .add(text("rules"))
        .add(text("long shared context").put("cache_control", ephemeral())));
  }

  @Test
  void noSystemKeyWithoutSystemText() {
    assertThat(translate(body(msg("system", ""), msg("user", "q"))).containsKey("system")).isFalse();
  }

  @Test
  void stopBecomesStopSequences() {
    JsonObject one = translate(body(msg("user", "q")).put("stop", "END"));
    assertThat(one.getJsonArray("stop_sequences")).isEqualTo(new JsonArray().add("END"));
    assertThat(one.containsKey("stop")).isFalse();

    JsonObject many = translate(body(msg("user", "q")).put("stop", new JsonArray().add("a").add("").add("b")));
    assertThat(many.getJsonArray("stop_sequences")).isEqualTo(new JsonArray().add("a").add("b"));
    assertThat(translate(body(msg("user", "q")).putNull("stop")).containsKey("stop_sequences")).isFalse();
  }

  @Test
  void toolChoiceMapping() {
    JsonObject base = body(msg("user", "q")).put("tools", new JsonArray().add(fnTool("lookup")));
    assertThat(translate(base.copy().put("tool_choice", "none")).getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "none"));
    assertThat(translate(base.copy().put("tool_choice", "auto")).getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "auto"));
    assertThat(translate(base.copy().put("tool_choice", "required")).getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "any"));
    assertThat(translate(base.copy().put("tool_choice", new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", "lookup")))).getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "tool").put("name", "lookup"));
    assertThat(translate(base.copy()).containsKey("tool_choice")).isFalse();
    assertThat(translate(base.copy().put("parallel_tool_calls", false)).getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "auto").put("disable_parallel_tool_use", true));
  }

  private static JsonObject fnTool(String name) {
    return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name));
  }

  @Test
  void functionToolsMapAndOpenRouterWebToolsAreDropped() {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("q", new JsonObject().put("type", "string")));
    JsonArray tools = new JsonArray()
        .add(new JsonObject().put("type", "openrouter:web_search")
            .put("parameters", new JsonObject().put("max_results", 3)))
        .add(new JsonObject().put("type", "function").put("function", new JsonObject()
            .put("name", "search").put("description", "Search it").put("parameters", schema)))
        .add(new JsonObject().put("type", "openrouter:web_fetch"))
        .add(fnTool("bare"));
    JsonObject out = translate(body(msg("user", "q")).put("tools", tools).put("tool_choice", "auto"));
    assertThat(out.getJsonArray("tools")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("name", "search").put("description", "Search it").put("input_schema", schema))
        .add(new JsonObject().put("name", "bare").put("input_schema", new JsonObject().put("type", "object"))));
  }

  @Test
  void onlyWebToolsMeansNoToolsAndNoToolChoice() {
    JsonArray tools = new JsonArray().add(new JsonObject().put("type", "openrouter:web_search"));
    JsonObject out = translate(body(msg("user", "q")).put("tools", tools).put("tool_choice", "auto"));
    assertThat(out.containsKey("tools")).isFalse();
    assertThat(out.containsKey("tool_choice")).isFalse();
  }

  @Test
  void imagesBecomeAnthropicImageBlocks() {
    JsonArray parts = new JsonArray()
        .add(text("what is this?"))
        .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "data:image/png;base64,iVBORw0KGgo=").put("detail", "low")))
        .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "https://example.com/cat.jpg")))
        .add(new JsonObject().put("type", "image_url").put("image_url", "http://example.com/dog.webp"))
        .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "data:text/plain,not-base64")))
        .add(new JsonObject().put("type", "input_audio").put("input_audio", new JsonObject()));
    JsonObject out = translate(body(msg("user", parts)));
    assertThat(out.getJsonArray("messages").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("role", "user")
        .put("content", new JsonArray()
            .add(text("what is this?"))
            .add(new JsonObject().put("type", "image").put("source", new JsonObject()
                .put("type", "base64").put("media_type", "image/png").put("data", "iVBORw0KGgo=")))
            .add(new JsonObject().put("type", "image").put("source", new JsonObject()
                .put("type", "url").put("url", "https://example.com/cat.jpg")))
            .add(new JsonObject().put("type", "image").put("source", new JsonObject()
                .put("type", "url").put("url", "http://example.com/dog.webp")))));
  }

  @Test
  void userCacheControlOnTextPartsIsKept() {
    JsonArray parts = new JsonArray().add(text("big doc").put("cache_control", ephemeral()));
    JsonObject out = translate(body(msg("user", parts)));
    assertThat(out.getJsonArray("messages").getJsonObject(0).getValue("content"))
        .isEqualTo(new JsonArray().add(text("big doc").put("cache_control", ephemeral())));
  }

  @Test
  void toolCallsAndToolResultsBecomeToolUseAndToolResultBlocks() {
    JsonObject assistant = msg("assistant", "Let me check.").put("tool_calls", new JsonArray()
        .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
            .put("name", "weather").put("arguments", "{\"city\":\"Paris\"}")))
        .add(new JsonObject().put("id", "call_2").put("type", "function").put("function", new JsonObject()
            .put("name", "time").put("arguments", "not json"))));
    JsonObject out = translate(body(
        msg("user", "weather and time?"),
        assistant,
        msg("tool", "18C").put("tool_call_id", "call_1"),
        msg("tool", new JsonArray().add(text("12:00"))).put("tool_call_id", "call_2"),
        msg("user", "thanks")));
    assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(msg("user", "weather and time?"))
        .add(msg("assistant", new JsonArray()
            .add(text("Let me check."))
            .add(new JsonObject().put("type", "tool_use").put("id", "call_1").put("name", "weather")
                .put("input", new JsonObject().put("city", "Paris")))
            .add(new JsonObject().put("type", "tool_use").put("id", "call_2").put("name", "time")
                .put("input", new JsonObject()))))
        .add(msg("user", new JsonArray()
            .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "call_1").put("content", "18C"))
            .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "call_2").put("content", "12:00"))
            .add(text("thanks")))));
  }

  @Test
  void assistantWithOnlyToolCallsAndNullContent() {
    JsonObject assistant = new JsonObject().put("role", "assistant").putNull("content").put("tool_calls",
        new JsonArray().add(new JsonObject().put("id", "c").put("type", "function").put("function",
            new JsonObject().put("name", "f").put("arguments", "[1,2]"))));
    JsonObject out = translate(body(msg("user", "go"), assistant));
    assertThat(out.getJsonArray("messages").getJsonObject(1).getValue("content")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("type", "tool_use").put("id", "c").put("name", "f").put("input", new JsonObject())));
  }

  @Test
  void maxTokensHonoursMaxCompletionTokensAndTakesTheSmaller() {
    assertThat(translate(body(msg("user", "q")).put("max_tokens", 300)).getInteger("max_tokens")).isEqualTo(300);
    assertThat(translate(body(msg("user", "q")).put("max_completion_tokens", 200)).getInteger("max_tokens"))
        .isEqualTo(200);
    assertThat(translate(body(msg("user", "q")).put("max_tokens", 300).put("max_completion_tokens", 200))
        .getInteger("max_tokens")).isEqualTo(200);
    assertThat(translate(body(msg("user", "q")).put("max_tokens", 0)).getInteger("max_tokens")).isEqualTo(1024);
    assertThat(translate(body(msg("user", "q")).put("max_tokens", "9")).getInteger("max_tokens")).isEqualTo(1024);
  }

  @Test
  void samplingIsCopiedAndOpenAiOnlyFieldsAreDropped() {
    JsonObject in = body(msg("user", "q"))
        .put("temperature", 0.4).put("top_p", 0.9)
        .put("stream", true).put("stream_options", new JsonObject().put("include_usage", true))
        .put("response_format", new JsonObject().put("type", "json_object"))
        .put("seed", 7).put("n", 1).put("logit_bias", new JsonObject())
        .put("presence_penalty", 0.1).put("frequency_penalty", 0.2)
        .put("user", "u-42");
    JsonObject before = in.copy();
    JsonObject out = AnthropicRequests.fromOpenAi(in, true);
    assertThat(out.fieldNames()).containsExactlyInAnyOrder("model", "messages", "max_tokens", "temperature", "top_p",
        "metadata", "stream");
    assertThat(out.getDouble("temperature")).isEqualTo(0.4);
    assertThat(out.getDouble("top_p")).isEqualTo(0.9);
    assertThat(out.getJsonObject("metadata")).isEqualTo(new JsonObject().put("user_id", "u-42"));
    assertThat(out.getBoolean("stream")).isTrue();
    assertThat(in).as("caller's body untouched").isEqualTo(before);
    assertThat(translate(in).containsKey("stream")).isFalse();
  }

  @Test
  void temperatureAboveAnthropicsRangeIsClamped() {
    assertThat(translate(body(msg("user", "q")).put("temperature", 1.5)).getDouble("temperature")).isEqualTo(1.0);
    assertThat(translate(body(msg("user", "q")).put("temperature", 0)).getValue("temperature")).isEqualTo(0);
  }

  @Test
  void malformedInputIsSkippedNotThrown() {
    JsonObject in = new JsonObject().put("model", "m").put("messages", new JsonArray()
            .add("not an object").add(new JsonObject().put("role", "user").put("content", 5))
            .add(msg("assistant", "")).add(msg("user", "real")))
        .put("tools", "nope").put("stop", 3).put("tool_choice", 9);
    JsonObject out = translate(in);
    assertThat(out.getJsonArray("messages")).isEqualTo(new JsonArray().add(msg("user", "real")));
    assertThat(translate(new JsonObject()).getJsonArray("messages")).isEmpty();
  }
}
