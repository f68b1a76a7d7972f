package io.openfusion.app.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * An error from the server: the OpenAI envelope's message and code, with the HTTP status when there was
 * one (in-stream errors and connection failures have none).
 */
public final class ApiFailure extends RuntimeException {

  private final int status;
  private final String code;

  public ApiFailure(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** From an {@code {"error": {...}}} envelope or its inner object. */
  public static ApiFailure fromJson(int status, JsonObject json) {
    JsonObject error = json != null && json.getValue("error") instanceof JsonObject inner ? inner : json;
    if (error == null) {
      return new ApiFailure(status, null, "HTTP " + status);
    }
    String message = error.getValue("message") instanceof String m && !m.isBlank() ? m : "HTTP " + status;
    Object code = error.getValue("code");
    return new ApiFailure(status, code == null ? null : String.valueOf(code), message);
  }

  /** From a response body that should hold an error envelope but may be anything. */
  public static ApiFailure fromBody(int status, String body) {
    try {
      return fromJson(status, new JsonObject(body));
    } catch (DecodeException | ClassCastException e) {
      String text = body == null ? "" : body.strip();
      if (text.length() > 200) {
        text = text.substring(0, 200) + "…";
      }
      return new ApiFailure(status, null, text.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + text);
    }
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** True when the failure looks like a missing, wrong or exhausted upstream key. */
  public boolean looksLikeKeyProblem() {
    if (status == 401 || status == 402 || "no_api_key".equals(code) || "invalid_api_key".equals(code)) {
      return true;
    }
    String text = getMessage() == null ? "" : getMessage().toLowerCase(Locale.ROOT);
    return text.contains("401") || text.contains("api key") || text.contains("unauthor") || text.contains("credit");
  }
}
