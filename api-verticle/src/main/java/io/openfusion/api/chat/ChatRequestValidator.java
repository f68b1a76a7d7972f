package io.openfusion.api.chat;

import io.openfusion.api.http.RequestJson;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks the shape of a chat-completion body before anything is routed, so a malformed request gets
 * a 400 that says what to fix instead of failing somewhere downstream.
 */
public final class ChatRequestValidator {

  /** Upper bound on conversation length; far beyond any model's context, it only stops abuse. */
  public static final int MAX_MESSAGES = 10_000;

  private ChatRequestValidator() {
  }

  /** Parses and validates; the returned body still holds the {@code openfusion} object. */
  public static JsonObject parse(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      throw ApiError.of(ErrorCode.INVALID_JSON, "Request body is empty; send a JSON object with model and messages");
    }
    Object parsed;
    try {
      parsed = RequestJson.decode(raw);
    } catch (DecodeException e) {
      throw ApiError.of(ErrorCode.INVALID_JSON, "Invalid JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject body)) {
      throw ApiError.of(ErrorCode.INVALID_BODY, "Request body must be a JSON object");
    }
    validate(body);
    return body;
  }

  static void validate(JsonObject body) {
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      throw ApiError.of(ErrorCode.INVALID_MODEL, "model is required and must be a non-empty string (use \"openfusion\" to fuse)");
    }
    if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw ApiError.of(ErrorCode.INVALID_MESSAGES, "messages is required and must be a non-empty array");
    }
    if (messages.size() > MAX_MESSAGES) {
      throw ApiError.of(ErrorCode.INVALID_MESSAGES, "messages has " + messages.size() + " entries; at most " + MAX_MESSAGES
        + " are accepted");
    }
    for (int i = 0; i < messages.size(); i++) {
      validateMessage(messages.getValue(i), i);
    }
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw ApiError.of(ErrorCode.INVALID_PARAMETER, "stream must be true or false");
    }
    if (body.getValue("stream_options") != null && !(body.getValue("stream_options") instanceof JsonObject)) {
      throw ApiError.of(ErrorCode.INVALID_PARAMETER, "stream_options must be an object");
    }
    positiveInteger(body, "max_tokens");
    positiveInteger(body, "max_completion_tokens");
    ParameterTypes.check(body);
    Object override = body.getValue("openfusion");
    if (override != null && !(override instanceof JsonObject)) {
      throw ApiError.of(ErrorCode.INVALID_OVERRIDE, "openfusion override must be an object");
    }
  }

  private static void validateMessage(Object item, int index) {
    String at = "messages[" + index + "]";
    if (!(item instanceof JsonObject message)) {
      throw ApiError.of(ErrorCode.INVALID_MESSAGES, at + " must be an object with role and content");
    }
    if (!(message.getValue("role") instanceof String role) || role.isBlank()) {
      throw ApiError.of(ErrorCode.INVALID_MESSAGES, at + ".role is required and must be a string");
    }
    Object content = message.getValue("content");
    if (content != null && !(content instanceof String) && !(content instanceof JsonArray)) {
      throw ApiError.of(ErrorCode.INVALID_MESSAGES, at + ".content must be a string or an array of content parts");
    }
  }

  private static void positiveInteger(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return;
    }
    if (!(value instanceof Number n) || value instanceof Double && n.doubleValue() != Math.rint(n.doubleValue())
      || value instanceof Float || n.doubleValue() > Integer.MAX_VALUE) {
      throw ApiError.of(ErrorCode.INVALID_MAX_TOKENS, field + " must be an integer");
    }
    if (n.longValue() < 1) {
      throw ApiError.of(ErrorCode.INVALID_MAX_TOKENS, field + " must be greater than 0");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "could not parse";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
