package io.openfusion.shared.upstream;

import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.config.Provider;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One upstream HTTP call.
 *
 * @param baseUrl  the provider base URL, e.g. {@code https://openrouter.ai/api/v1}; {@code /chat/completions}
 *                 ({@link Provider#OPENAI}) or {@code /messages} ({@link Provider#ANTHROPIC}) is appended
 * @param apiKey   sent as {@code Authorization: Bearer <key>} (OpenAI) or {@code x-api-key} (Anthropic); omitted when
 *                 {@code null} or blank
 * @param body     the full OpenAI chat-completions request body (model and stream already set by the caller); the client
 *                 never mutates it, and translates a copy for an Anthropic upstream
 * @param deadline absolute {@link System#currentTimeMillis()} by which the whole call, streaming included, must end
 * @param cancel   completes (succeeds) when the caller wants the call aborted; the client then resets the HTTP request so
 *                 the upstream sees the connection close. {@code null} means "never cancelled"
 * @param label    a short name for logs and metrics (e.g. the panel member label); may be {@code null}
 * @param provider the wire protocol the upstream speaks; {@code null} means {@link Provider#OPENAI}. Either way the
 *                 caller sends and receives OpenAI shapes
 * @param trace    the call's own span, sent as the request's W3C {@code traceparent} so a provider or gateway that
 *                 traces joins the client's trace; null while tracing is off (no header is sent)
 */
public record UpstreamCall(String baseUrl, String apiKey, JsonObject body, long deadline, Future<Void> cancel,
                           String label, Provider provider, TraceHeaders trace) {

  public UpstreamCall {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(body, "body");
    provider = provider == null ? Provider.OPENAI : provider;
  }

  public UpstreamCall(String baseUrl, String apiKey, JsonObject body, long deadline, Future<Void> cancel,
                      String label, Provider provider) {
    this(baseUrl, apiKey, body, deadline, cancel, label, provider, null);
  }

  /** An OpenAI-compatible call (the common case, and the shape callers used before Anthropic support). */
  public UpstreamCall(String baseUrl, String apiKey, JsonObject body, long deadline, Future<Void> cancel,
                      String label) {
    this(baseUrl, apiKey, body, deadline, cancel, label, Provider.OPENAI);
  }

  /** @return this call aimed at an upstream speaking {@code p} ({@code null} means OpenAI) */
  public UpstreamCall withProvider(Provider p) {
    return new UpstreamCall(baseUrl, apiKey, body, deadline, cancel, label, p, trace);
  }

  /** @return this call sent as a child of the span {@code headers} name */
  public UpstreamCall withTrace(TraceHeaders headers) {
    return new UpstreamCall(baseUrl, apiKey, body, deadline, cancel, label, provider, headers);
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
    return "UpstreamCall[label=" + label + ", provider=" + provider.wire() + ", baseUrl=" + baseUrl
        + ", deadline=" + deadline + "]";
  }
}
