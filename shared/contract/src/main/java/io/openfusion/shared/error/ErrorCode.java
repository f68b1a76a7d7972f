package io.openfusion.shared.error;

/**
 * The stable {@code error.code} values clients can branch on, with the HTTP status and OpenAI error
 * {@code type} each one carries.
 */
public enum ErrorCode {
  INVALID_JSON(400, "invalid_request_error"),
  INVALID_BODY(400, "invalid_request_error"),
  INVALID_MODEL(400, "invalid_request_error"),
  INVALID_MESSAGES(400, "invalid_request_error"),
  INVALID_PARAMETER(400, "invalid_request_error"),
  INVALID_MAX_TOKENS(400, "invalid_request_error"),
  MAX_TOKENS_EXCEEDS_LIMIT(400, "invalid_request_error"),
  INVALID_OVERRIDE(400, "invalid_request_error"),
  /** A feature of the Responses or Messages API the proxy cannot run (built-in tools, background mode...). */
  UNSUPPORTED_PARAMETER(400, "invalid_request_error"),
  /** {@code previous_response_id} names a response this server does not hold (never stored, expired, deleted). */
  PREVIOUS_RESPONSE_NOT_FOUND(400, "invalid_request_error"),
  OVERRIDES_DISABLED(400, "invalid_request_error"),
  /**
   * An embedding host's recipe resolver failed for this caller, or chose a recipe the node does not hold: the host's
   * resolver or its registered recipes need fixing, so the status is the server's fault.
   */
  RECIPE_UNAVAILABLE(500, "server_error"),
  JUDGE_NOT_CONFIGURED(400, "invalid_request_error"),
  NO_API_KEY(400, "invalid_request_error"),
  INVALID_API_KEY(401, "invalid_request_error"),
  UI_KEY_DISABLED(403, "permission_error"),
  NOT_FOUND(404, "invalid_request_error"),
  METHOD_NOT_ALLOWED(405, "invalid_request_error"),
  REQUEST_TOO_LARGE(413, "invalid_request_error"),
  UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error"),
  /**
   * The client closed its connection before the answer was complete (the status nginx logs for it): the work stops,
   * and logs and metrics show why; the client itself never sees it.
   */
  CLIENT_GONE(499, "client_error"),
  RATE_LIMIT_EXCEEDED(429, "rate_limit_error"),
  TOKEN_RATE_LIMIT_EXCEEDED(429, "rate_limit_error"),
  BUDGET_EXCEEDED(429, "insufficient_quota"),
  UPSTREAM_ERROR(502, "upstream_error"),
  PANEL_ERROR(502, "upstream_error"),
  JUDGE_STREAM_ERROR(502, "upstream_error"),
  SERVER_OVERLOADED(503, "overloaded_error"),
  NO_WORKERS(503, "overloaded_error"),
  SHUTTING_DOWN(503, "overloaded_error"),
  TIMEOUT(504, "timeout_error"),
  INTERNAL_ERROR(500, "server_error");

  private final int status;
  private final String type;

  ErrorCode(int status, String type) {
    this.status = status;
    this.type = type;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String wire() {
    return name().toLowerCase();
  }

  public static ErrorCode fromWire(String code) {
    if (code == null) {
      return null;
    }
    for (ErrorCode c : values()) {
      if (c.wire().equals(code)) {
        return c;
      }
    }
    return null;
  }
}
