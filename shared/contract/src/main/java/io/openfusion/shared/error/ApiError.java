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

  /** The failure-message field that carries {@link #retryAfterSeconds()} across the event bus. */
  private static final String RETRY_AFTER = "retry_after";

  private final int status;
  private final String type;
  private final String code;
  /** Seconds a client should wait before retrying ({@code Retry-After}), 0 when waiting would not help. */
  private final long retryAfterSeconds;

  public ApiError(int status, String type, String code, String message) {
    this(status, type, code, message, 0);
  }

  private ApiError(int status, String type, String code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.retryAfterSeconds = Math.max(0, retryAfterSeconds);
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

  /** @return whole seconds for the {@code Retry-After} header, 0 for none */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** This error with a {@code Retry-After} hint, which travels on the event bus but not in the body. */
  public ApiError withRetryAfter(long seconds) {
    return new ApiError(status, type, code, getMessage(), seconds);
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
    JsonObject error = errorObject();
    if (retryAfterSeconds > 0) {
      error.put(RETRY_AFTER, retryAfterSeconds);
    }
    message.fail(status, error.encode());
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
        Object retryAfter = error.getValue(RETRY_AFTER);
        return new ApiError(status > 0 ? status : 500, error.getString("type", "server_error"),
          error.getString("code"), error.getString("message", "Unknown error"),
          retryAfter instanceof Number n ? n.longValue() : 0);
      } catch (DecodeException ignored) {
        // not one of ours: fall through to a generic description
      }
    }
    return of(ErrorCode.INTERNAL_ERROR, text == null ? "Internal error" : text);
  }
}
