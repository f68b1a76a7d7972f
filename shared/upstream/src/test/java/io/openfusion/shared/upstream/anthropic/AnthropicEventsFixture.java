package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonObject;

/** Anthropic stream events, as the API sends them. Shared with the HTTP tests. */
public final class AnthropicEventsFixture {

  private AnthropicEventsFixture() {
  }

  public static JsonObject messageStart(String id, int inputTokens) {
    return new JsonObject().put("type", "message_start").put("message", new JsonObject()
        .put("id", id).put("type", "message").put("role", "assistant").put("model", "claude-x")
        .put("content", new io.vertx.core.json.JsonArray()).putNull("stop_reason")
        .put("usage", new JsonObject().put("input_tokens", inputTokens).put("output_tokens", 1)));
  }

  public static JsonObject ping() {
    return new JsonObject().put("type", "ping");
  }

  public static JsonObject textStart(int index) {
    return new JsonObject().put("type", "content_block_start").put("index", index)
        .put("content_block", new JsonObject().put("type", "text").put("text", ""));
  }

  public static JsonObject textDelta(int index, String text) {
    return new JsonObject().put("type", "content_block_delta").put("index", index)
        .put("delta", new JsonObject().put("type", "text_delta").put("text", text));
  }

  public static JsonObject thinkingDelta(int index, String text) {
    return new JsonObject().put("type", "content_block_delta").put("index", index)
        .put("delta", new JsonObject().put("type", "thinking_delta").put("thinking", text));
  }

  public static JsonObject toolStart(int index, String id, String name) {
    return new JsonObject().put("type", "content_block_start").put("index", index)
        .put("content_block", new JsonObject().put("type", "tool_use").put("id", id).put("name", name)
            .put("input", new JsonObject()));
  }

  public static JsonObject jsonDelta(int index, String partial) {
    return new JsonObject().put("type", "content_block_delta").put("index", index)
        .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", partial));
  }

  public static JsonObject blockStop(int index) {
    return new JsonObject().put("type", "content_block_stop").put("index", index);
  }

  public static JsonObject messageDelta(String stopReason, int outputTokens) {
    return new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason).putNull("stop_sequence"))
        .put("usage", new JsonObject().put("output_tokens", outputTokens));
  }

  public static JsonObject messageStop() {
    return new JsonObject().put("type", "message_stop");
  }

  public static JsonObject error(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }

  /** One SSE event with its {@code event:} name, as Anthropic frames them. */
  public static String sse(JsonObject event) {
    return "event: " + event.getString("type") + "\ndata: " + event.encode() + "\n\n";
  }
}
