package io.openfusion.shared.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Builders for the OpenAI chat-completion shapes openfusion emits itself. */
public final class Completions {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Completions() {
  }

  /** {@code chatcmpl-} followed by 24 hex digits, like the original. */
  public static String newId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return "chatcmpl-" + HexFormat.of().formatHex(bytes);
  }

  public static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /** A streamed chunk carrying {@code delta} and an optional finish reason. */
  public static JsonObject chunk(String id, long created, String model, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finishReason);
    return new JsonObject()
      .put("id", id)
      .put("object", "chat.completion.chunk")
      .put("created", created)
      .put("model", model)
      .put("choices", new JsonArray().add(choice));
  }

  /** A non-streamed completion with one assistant message. */
  public static JsonObject completion(String id, long created, String model, String content, String finishReason, JsonObject usage) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", content);
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).put("finish_reason", finishReason);
    JsonObject completion = new JsonObject()
      .put("id", id)
      .put("object", "chat.completion")
      .put("created", created)
      .put("model", model)
      .put("choices", new JsonArray().add(choice));
    if (usage != null) {
      completion.put("usage", usage);
    }
    return completion;
  }

  /** The in-stream error chunk: {@code {"error": {...}}}. */
  public static JsonObject errorChunk(JsonObject errorObject) {
    return new JsonObject().put("error", errorObject);
  }
}
