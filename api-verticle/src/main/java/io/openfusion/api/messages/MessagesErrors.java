package io.openfusion.api.messages;

import io.openfusion.api.http.ErrorFormat;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.json.JsonObject;

/**
 * Errors in Anthropic's shape, {@code {"type": "error", "error": {"type", "message"}}}, with the error type Anthropic
 * gives the same HTTP status. The status itself is kept (a 503 stays a 503, which Anthropic's SDKs retry like 529).
 */
final class MessagesErrors {

  /** Every /v1/messages route answers errors this way. */
  static final ErrorFormat FORMAT = MessagesErrors::body;

  private MessagesErrors() {
  }

  static JsonObject body(ApiError error) {
    return new JsonObject().put("type", "error").put("error", errorObject(error.status(), error.getMessage()));
  }

  /** The inner {@code {"type", "message"}} for an HTTP status. */
  static JsonObject errorObject(int status, String message) {
    return new JsonObject().put("type", type(status)).put("message", message);
  }

  static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** The HTTP status an in-stream chat error ({@code {"message","type","code"}}) would have had. */
  static int status(JsonObject chatError) {
    Object type = chatError.getValue("type");
    if ("rate_limit_error".equals(type) || "insufficient_quota".equals(type)) {
      return 429;
    }
    if ("overloaded_error".equals(type)) {
      return 503;
    }
    if ("timeout_error".equals(type)) {
      return 504;
    }
    if ("invalid_request_error".equals(type)) {
      return 400;
    }
    return 500;
  }
}
