package io.openfusion.shared.demo.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/** The OpenAI wire shapes the simulated provider emits, in one place so tests and server agree. */
public final class DemoChunks {

  public static final String DONE_FRAME = "data: [DONE]\n\n";
  /** Marks every body as simulated for anyone reading raw traffic. */
  public static final String SYSTEM_FINGERPRINT = "openfusion-demo-simulated";

  /** What all chunks of one response share, as the OpenAI stream does. */
  public record Envelope(String id, long created, String model) {

    public static Envelope create(String model) {
      return new Envelope(newId(), System.currentTimeMillis() / 1000, model);
    }
  }

  private DemoChunks() {
  }

  public static JsonObject usage(String model, long promptTokens, long completionTokens) {
    return new JsonObject()
      .put("prompt_tokens", promptTokens)
      .put("completion_tokens", completionTokens)
      .put("total_tokens", promptTokens + completionTokens)
      .put("cost", DemoPricing.cost(model, promptTokens, completionTokens));
  }

  public static JsonObject completion(Envelope env, String content, String finishReason, JsonObject usage) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", content);
    return base(env, "chat.completion")
      .put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0)
        .put("message", message)
        .put("finish_reason", finishReason)))
      .put("usage", usage);
  }

  /** A content chunk; the first one of a stream also carries the assistant role. */
  public static JsonObject content(Envelope env, String token, boolean first) {
    JsonObject delta = new JsonObject();
    if (first) {
      delta.put("role", "assistant");
    }
    delta.put("content", token);
    return chunk(env, delta, null);
  }

  public static JsonObject finish(Envelope env, String finishReason) {
    return chunk(env, new JsonObject(), finishReason);
  }

  /** The trailing chunk OpenAI sends for {@code stream_options.include_usage}: no choices, only usage. */
  public static JsonObject usageOnly(Envelope env, JsonObject usage) {
    return base(env, "chat.completion.chunk").put("choices", new JsonArray()).put("usage", usage);
  }

  public static String frame(JsonObject chunk) {
    return "data: " + chunk.encode() + "\n\n";
  }

  private static JsonObject chunk(Envelope env, JsonObject delta, String finishReason) {
    return base(env, "chat.completion.chunk")
      .put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0)
        .put("delta", delta)
        .put("finish_reason", finishReason)));
  }

  private static JsonObject base(Envelope env, String object) {
    return new JsonObject()
      .put("id", env.id())
      .put("object", object)
      .put("created", env.created())
      .put("model", env.model())
      .put("system_fingerprint", SYSTEM_FINGERPRINT);
  }

  private static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("chatcmpl-demo%08x%08x%04x", r.nextInt(), r.nextInt(), r.nextInt(0x10000));
  }
}
