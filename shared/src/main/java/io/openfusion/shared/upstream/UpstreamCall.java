package io.openfusion.shared.upstream;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One upstream HTTP call.
 *
 * @param baseUrl  the provider base URL, e.g. {@code https://openrouter.ai/api/v1}; {@code /chat/completions} is appended
 * @param apiKey   sent as {@code Authorization: Bearer <key>}; omitted when {@code null} or blank
 * @param body     the full OpenAI chat-completions request body (model and stream already set by the caller); the client
 *                 never mutates it
 * @param deadline absolute {@link System#currentTimeMillis()} by which the whole call, streaming included, must end
 * @param cancel   completes (succeeds) when the caller wants the call aborted; the client then resets the HTTP request so
 *                 the upstream sees the connection close. {@code null} means "never cancelled"
 * @param label    a short name for logs and metrics (e.g. the panel member label); may be {@code null}
 */
public record UpstreamCall(String baseUrl, String apiKey, JsonObject body, long deadline, Future<Void> cancel,
                           String label) {

  public UpstreamCall {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(body, "body");
  }

  /** @return {@code true} when an API key should be sent */
  public boolean hasApiKey() {
    return apiKey != null && !apiKey.isBlank();
  }

  /** @return milliseconds left until the deadline at {@code now} (may be negative) */
  public long remainingMillis(long now) {
    return deadline - now;
  }

  /** Never prints the key or the body. */
  @Override
  public String toString() {
    return "UpstreamCall[label=" + label + ", baseUrl=" + baseUrl + ", deadline=" + deadline + "]";
  }
}
