package io.openfusion.shared.error;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A failure a client can see: HTTP status, OpenAI error type, stable code and a message that says what
 * to do. It crosses the event bus as a failed reply whose failure code is the HTTP status and whose
 * message is the error JSON, so the edge rebuilds exactly what the worker meant.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;

  public ApiError(int status, String type, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  public static ApiError of(ErrorCode code, String message) {
    return new ApiError(code.status(), code.type(), code.wire(), message);
  }

  /** An error that keeps an upstream's HTTP status (a pass-through 401 stays a 401 for the client). */
  public static ApiError upstream(int status, String message) {
    int effective = status >= 400 && status <= 599 ? status : ErrorCode.UPSTREAM_ERROR.status();
    return new ApiError(effective, ErrorCode.UPSTREAM_ERROR.type(), ErrorCode.UPSTREAM_ERROR.wire(), message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  /** The OpenAI error object: {@code {"message","type","code"}}. */
  public JsonObject errorObject() {
    JsonObject error = new JsonObject().put("message", getMessage()).put("type", type);
    if (code != null) {
      error.put("code", code);
    }
    return error;
  }

  /** The OpenAI error envelope: {@code {"error": {...}}}. */
  public JsonObject toJson() {
    return new JsonObject().put("error", errorObject());
  }

  /** Fails an event-bus request with this error. */
  public void failReply(Message<?> message) {
    message.fail(status, errorObject().encode());
  }

  /**
   * Rebuilds the error a worker sent, or describes what went wrong on the bus itself (no worker, a
   * worker that missed its deadline). {@code role} names the verticle that was asked, for the message.
   */
  public static ApiError from(Throwable failure, String role) {
    if (failure instanceof ApiError apiError) {
      return apiError;
    }
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return of(ErrorCode.NO_WORKERS, "No " + role + " worker is running; start a node with the '" + role + "' role");
        case TIMEOUT:
          return of(ErrorCode.TIMEOUT, "The " + role + " did not answer in time; try again or raise the timeouts in the config");
        default:
          return fromFailureMessage(reply.failureCode(), reply.getMessage());
      }
    }
    return of(ErrorCode.INTERNAL_ERROR, "Internal error: " + failure.getClass().getSimpleName());
  }

  private static ApiError fromFailureMessage(int status, String text) {
    if (text != null && text.startsWith("{")) {
      try {
        JsonObject error = new JsonObject(text);
        return new ApiError(status > 0 ? status : 500, error.getString("type", "server_error"),
          error.getString("code"), error.getString("message", "Unknown error"));
      } catch (DecodeException ignored) {
        // not one of ours: fall through to a generic description
      }
    }
    return of(ErrorCode.INTERNAL_ERROR, text == null ? "Internal error" : text);
  }
}
