package io.openfusion.shared.demo.impl;

import io.vertx.core.json.JsonObject;

/**
 * A request the simulated provider refuses, carried as an exception so parsing code can bail out
 * from any depth; it has no stack trace because it is control flow, not a bug.
 */
public final class DemoFailure extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;

  public DemoFailure(int status, String type, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  public static DemoFailure badRequest(String message) {
    return new DemoFailure(400, "invalid_request_error", null, message);
  }

  public static DemoFailure modelNotFound(String model) {
    return new DemoFailure(404, "invalid_request_error", "model_not_found",
      "model '" + model + "' is not served by the openfusion demo provider");
  }

  /** A failure a test or a fault demo asked for; the type follows the status like OpenAI's does. */
  public static DemoFailure simulated(int status, String message) {
    return new DemoFailure(status, typeFor(status), "simulated_failure", message);
  }

  public int status() {
    return status;
  }

  /** OpenAI error envelope; {@code code} is left out when there is none, as OpenAI does. */
  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("message", getMessage()).put("type", type);
    if (code != null) {
      error.put("code", code);
    }
    return new JsonObject().put("error", error);
  }

  static String typeFor(int status) {
    switch (status) {
      case 400: return "invalid_request_error";
      case 401: return "authentication_error";
      case 403: return "permission_error";
      case 404: return "not_found_error";
      case 408: return "timeout_error";
      case 429: return "rate_limit_error";
      case 503: return "overloaded_error";
      default: return status >= 500 ? "server_error" : "invalid_request_error";
    }
  }
}
