package io.openfusion.api.chat;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Whether a client gets openfusion's named SSE events ({@code event: progress}, {@code usage}, {@code analysis},
 * {@code panel_answer}) or only the pure OpenAI stream.
 *
 * <p>Most OpenAI client libraries hand the data of every SSE message to a chunk parser whatever its event name (the
 * Vercel AI SDK, Spring AI, LangChain, most hand-written frontends), so a named event breaks them. By default a stream
 * therefore carries only {@code chat.completion.chunk} frames and {@code [DONE]}, with progress as SSE comments that
 * every parser skips. A client opts in with {@code X-OpenFusion-Events: on} or {@code "events": true} in its
 * {@code openfusion} object; an operator can make named events the default ({@code server.sse_events: named}), and
 * then a client opts out the same ways. The header wins over the body.
 */
public final class EventsPreference {

  public static final String HEADER = "X-OpenFusion-Events";
  /** The key in the request's {@code openfusion} object. */
  public static final String OVERRIDE_KEY = "events";

  private EventsPreference() {
  }

  /**
   * @param override the request's {@code openfusion} object (may be null); its {@code events} key is removed, because
   *                 it chooses the wire format and is not a recipe override
   * @throws ApiError 400 when the header or the key has a value that is neither on nor off
   */
  public static boolean wants(HttpServerRequest request, JsonObject override, boolean serverDefault) {
    Object fromBody = override == null ? null : override.remove(OVERRIDE_KEY);
    String header = request.getHeader(HEADER);
    if (header != null) {
      return parseHeader(header.strip());
    }
    if (fromBody != null) {
      if (fromBody instanceof Boolean named) {
        return named;
      }
      throw ApiError.of(ErrorCode.INVALID_PARAMETER, "openfusion.events must be true or false");
    }
    return serverDefault;
  }

  private static boolean parseHeader(String value) {
    switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "1", "named" -> {
        return true;
      }
      case "off", "false", "0", "comments" -> {
        return false;
      }
      default -> throw ApiError.of(ErrorCode.INVALID_PARAMETER,
        HEADER + " must be 'on' or 'off', got '" + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
    }
  }
}
