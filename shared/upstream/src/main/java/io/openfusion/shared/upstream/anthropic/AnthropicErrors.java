package io.openfusion.shared.upstream.anthropic;

import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Turns an in-stream Anthropic {@code error} event into the {@link UpstreamException} the same error would have given
 * as an HTTP answer, so callers treat a mid-stream overload or rate limit like the HTTP one (the panel retries 429s).
 */
public final class AnthropicErrors {

  /** The HTTP status Anthropic documents for each error type. */
  private static final Map<String, Integer> STATUS = Map.of(
      "invalid_request_error", 400,
      "authentication_error", 401,
      "billing_error", 402,
      "permission_error", 403,
      "not_found_error", 404,
      "request_too_large", 413,
      "rate_limit_error", 429,
      "api_error", 500,
      "timeout_error", 504,
      "overloaded_error", 529);

  private AnthropicErrors() {
  }

  /**
   * @param event {@code {"type":"error","error":{"type":…,"message":…}}}
   * @return HTTP_STATUS with the documented status for a known error type, PROVIDER_ERROR otherwise; the message is the
   *     upstream's, unmasked and uncut (the HTTP client masks the key and shortens it)
   */
  public static UpstreamException fromEvent(JsonObject event) {
    JsonObject error = event.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    String type = error.getValue("type") instanceof String t ? t : "";
    String message = error.getValue("message") instanceof String m && !m.isBlank() ? m : type;
    Integer status = STATUS.get(type);
    if (status == null) {
      return new UpstreamException(Kind.PROVIDER_ERROR, 0,
          "Upstream reported an error in its stream: " + (message.isEmpty() ? "unknown error" : message));
    }
    return new UpstreamException(Kind.HTTP_STATUS, status, "Upstream error (" + status + "): " + message);
  }
}
