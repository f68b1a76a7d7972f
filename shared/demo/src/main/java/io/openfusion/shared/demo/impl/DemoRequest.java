package io.openfusion.shared.demo.impl;

import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The parts of an OpenAI chat request the simulated provider looks at; the rest is ignored. */
public record DemoRequest(String model, JsonArray messages, boolean stream, boolean includeUsage, Integer maxTokens) {

  public static DemoRequest parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw DemoFailure.badRequest("Request body is required");
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw DemoFailure.badRequest("Invalid JSON: " + e.getMessage());
    }
    if (!(decoded instanceof JsonObject json)) {
      throw DemoFailure.badRequest("Request body must be a JSON object");
    }
    if (!(json.getValue("model") instanceof String model) || model.isBlank()) {
      throw DemoFailure.badRequest("model is required");
    }
    if (!model.startsWith(DemoProvider.MODEL_PREFIX)) {
      throw DemoFailure.modelNotFound(model);
    }
    if (!(json.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw DemoFailure.badRequest("messages is required and must be a non-empty array");
    }
    boolean stream = Boolean.TRUE.equals(json.getValue("stream"));
    boolean includeUsage = json.getValue("stream_options") instanceof JsonObject so
      && Boolean.TRUE.equals(so.getValue("include_usage"));
    return new DemoRequest(model, messages, stream, includeUsage, maxTokens(json));
  }

  /** chars/4 of every message, never 0, the same rough estimate the proxy uses elsewhere. */
  public long promptTokens() {
    return Math.max(1, DemoText.promptChars(messages) / 4);
  }

  private static Integer maxTokens(JsonObject json) {
    String field = json.containsKey("max_tokens") ? "max_tokens" : "max_completion_tokens";
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new DemoFailure(400, "invalid_request_error", "invalid_max_tokens", field + " must be an integer");
    }
    long v = ((Number) value).longValue();
    if (v <= 0) {
      throw new DemoFailure(400, "invalid_request_error", "invalid_max_tokens", field + " must be greater than 0");
    }
    return (int) Math.min(v, Integer.MAX_VALUE);
  }
}
