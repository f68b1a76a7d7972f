package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/**
 * Builds every {@link UpstreamException} with its user-facing message. Messages never contain the API key (it is
 * masked if an upstream echoes it) nor the request body.
 */
final class UpstreamErrors {

  static final int MAX_DETAIL_CHARS = 500;

  private UpstreamErrors() {
  }

  static UpstreamException deadline(long budgetMs) {
    return timeout("no response within " + Durations.seconds(budgetMs) + " s");
  }

  static UpstreamException firstToken(long ms) {
    return timeout("no first token within " + Durations.seconds(ms) + " s");
  }

  static UpstreamException idle(long ms) {
    return timeout("stream idle for " + Durations.seconds(ms) + " s");
  }

  static UpstreamException cancelled() {
    return new UpstreamException(Kind.CANCELLED, 0, "Upstream call cancelled");
  }

  static UpstreamException invalidJson() {
    return new UpstreamException(Kind.BAD_RESPONSE, 0, "Upstream returned invalid JSON");
  }

  static UpstreamException invalidSse() {
    return new UpstreamException(Kind.BAD_RESPONSE, 0, "Invalid upstream SSE payload");
  }

  static UpstreamException emptyStream() {
    return new UpstreamException(Kind.BAD_RESPONSE, 0, "Upstream stream ended without any data");
  }

  /** A stream that ended after some data but before its terminator ({@code [DONE]}, {@code message_stop}). */
  static UpstreamException incomplete(String terminator) {
    return new UpstreamException(Kind.INCOMPLETE_STREAM, 0,
        "Upstream stream ended without " + terminator + "; the answer may be incomplete");
  }

  /**
   * An error the upstream reported inside a 2xx answer; {@code where} says where it was found (e.g. "in its stream").
   * {@code detail} is the provider's message (or a description when it sent none): cut and masked here.
   */
  static UpstreamException reported(String where, String detail, String apiKey) {
    return new UpstreamException(Kind.PROVIDER_ERROR, 0,
        "Upstream reported an error " + where + ": " + mask(cut(detail), apiKey));
  }

  static UpstreamException tooLarge(long limit) {
    return new UpstreamException(Kind.TOO_LARGE, 0, "Upstream response exceeded " + limit + " bytes");
  }

  static UpstreamException invalidUrl() {
    return new UpstreamException(Kind.CONNECT, 0, "Could not connect to upstream: invalid base URL");
  }

  /** A 2xx JSON answer to a streaming request; its {@code error.message}, if any, is kept. */
  static UpstreamException jsonInsteadOfStream(Buffer body, String apiKey) {
    String detail = errorMessage(body);
    String msg = "Upstream returned JSON instead of an event stream";
    return new UpstreamException(Kind.BAD_RESPONSE, 0, detail == null ? msg : msg + ": " + mask(detail, apiKey));
  }

  /** {@code "Upstream error (<status>): <error.message, or the raw body cut to 500 chars>"}. */
  static UpstreamException http(int status, String statusMessage, Buffer body, long retryAfterMs, String apiKey) {
    String detail = errorMessage(body);
    if (detail == null) {
      detail = body == null ? "" : body.toString(StandardCharsets.UTF_8).strip();
    }
    if (detail.isEmpty() && statusMessage != null) {
      detail = statusMessage;
    }
    return new UpstreamException(Kind.HTTP_STATUS, status,
        "Upstream error (" + status + "): " + mask(cut(detail), apiKey), retryAfterMs, null);
  }

  /**
   * The same failure with its message shortened and the key masked; for exceptions whose message was built from
   * upstream text outside this class (e.g. an Anthropic in-stream error event).
   */
  static UpstreamException masked(UpstreamException e, String apiKey) {
    String message = mask(cut(e.getMessage()), apiKey);
    if (message.equals(e.getMessage())) {
      return e;
    }
    return new UpstreamException(e.kind(), e.status(), message, e.retryAfterMillis(), e.getCause());
  }

  /** Failure to obtain a connection (refused, DNS, TLS, connect timeout, pool wait). */
  static UpstreamException connect(Endpoint endpoint, Throwable cause) {
    if (cause instanceof UpstreamException ue) {
      return ue;
    }
    return new UpstreamException(Kind.CONNECT, 0,
        "Could not connect to upstream " + endpoint.origin() + ": " + connectReason(cause), -1, cause);
  }

  /** The connection broke after the request went out; {@code phase} says when. */
  static UpstreamException transport(Throwable cause, String phase) {
    if (cause instanceof UpstreamException ue) {
      return ue;
    }
    return new UpstreamException(Kind.RESET, 0, "Upstream connection closed " + phase + ": " + reason(cause), -1,
        cause);
  }

  /** Extracts {@code error.message}, a string {@code error}, or a top-level {@code message} from a JSON body. */
  static String errorMessage(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    String text = body.toString(StandardCharsets.UTF_8).strip();
    if (!text.startsWith("{")) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(text);
      Object error = json.getValue("error");
      if (error instanceof JsonObject e && e.getValue("message") instanceof String m && !m.isBlank()) {
        return m;
      }
      if (error instanceof String s && !s.isBlank()) {
        return s;
      }
      if (json.getValue("message") instanceof String m && !m.isBlank()) {
        return m;
      }
      return null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static UpstreamException timeout(String what) {
    return new UpstreamException(Kind.TIMEOUT, 0, "Upstream timed out: " + what);
  }

  private static String connectReason(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TimeoutException || c instanceof io.netty.channel.ConnectTimeoutException) {
        return "connection timed out";
      }
      if (c instanceof UnknownHostException) {
        return "unknown host";
      }
      if (c instanceof ConnectException) {
        String m = c.getMessage();
        return m != null && m.toLowerCase().contains("refused") ? "connection refused" : "connection failed";
      }
      if (c instanceof SSLException) {
        return "TLS handshake failed";
      }
    }
    return reason(t);
  }

  private static String reason(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : cut(m);
  }

  static String cut(String s) {
    if (s.length() <= MAX_DETAIL_CHARS) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(MAX_DETAIL_CHARS - 1)) ? MAX_DETAIL_CHARS - 1 : MAX_DETAIL_CHARS;
    return s.substring(0, end);
  }

  static String mask(String s, String apiKey) {
    if (apiKey == null || apiKey.isBlank() || apiKey.length() < 6 || !s.contains(apiKey)) {
      return s;
    }
    return s.replace(apiKey, "***");
  }
}
