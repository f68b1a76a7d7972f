package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.UpstreamException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Recognises an error an upstream reports inside a 2xx answer, in the shapes providers use:
 * <ul>
 *   <li>a top-level {@code error}, an object with a {@code message} or a plain string (OpenAI and OpenRouter
 *       mid-stream, OpenRouter's 200 error bodies, llama.cpp);</li>
 *   <li>{@code "object": "error"} with a top-level {@code message} (vLLM);</li>
 *   <li>a choice whose {@code finish_reason} is {@code "error"} or that carries its own {@code error} (OpenRouter);</li>
 *   <li>an SSE message named {@code error} (Groq), whatever its data.</li>
 * </ul>
 * Each becomes a {@link UpstreamException.Kind#PROVIDER_ERROR} with the provider's message, masked and cut.
 */
final class InBandErrors {

  /** The text every shape above contains; a payload without it is never parsed for errors. */
  private static final String ERROR = "\"error\"";

  private InBandErrors() {
  }

  /**
   * @return whether the raw payload could report an error; {@code false} for the typical token chunk, which then
   *     needs no parsing
   */
  static boolean mayReport(String data) {
    return data.contains(ERROR);
  }

  /** @return the failure a streamed chunk reports, or {@code null} when it reports none */
  static UpstreamException ofChunk(JsonObject chunk, String apiKey) {
    return of(chunk, "in its stream", apiKey);
  }

  /** @return the failure a non-streamed 2xx answer reports, or {@code null} when it reports none */
  static UpstreamException ofCompletion(JsonObject body, String apiKey) {
    return of(body, "in its answer", apiKey);
  }

  /** An SSE message named {@code error}: its data is a JSON error, or plain text. */
  static UpstreamException ofErrorEvent(String data, String apiKey) {
    String detail = null;
    String text = data == null ? "" : data.strip();
    if (text.startsWith("{")) {
      try {
        JsonObject json = new JsonObject(text);
        // the event's name already says it is an error: its data may be the error object itself
        detail = json.isEmpty() ? null : Objects.requireNonNullElseGet(describe(json), () -> fromErrorObject(json));
      } catch (RuntimeException notJson) {
        detail = null;
      }
    }
    if (detail == null) {
      detail = text.isEmpty() ? "an error event without details" : text;
    }
    return UpstreamErrors.reported("in its stream", detail, apiKey);
  }

  private static UpstreamException of(JsonObject json, String where, String apiKey) {
    String detail = describe(json);
    if (detail == null && json.getValue("choices") instanceof JsonArray choices) {
      for (Object c : choices) {
        if (c instanceof JsonObject choice) {
          detail = choiceError(choice);
          if (detail != null) {
            break;
          }
        }
      }
    }
    return detail == null ? null : UpstreamErrors.reported(where, detail, apiKey);
  }

  /** @return the description of a top-level error in {@code json}, or {@code null} when there is none */
  private static String describe(JsonObject json) {
    Object error = json.getValue("error");
    if (error instanceof JsonObject e) {
      return fromErrorObject(e);
    }
    if (error instanceof String s && !s.isBlank()) {
      return s;
    }
    if (error != null && !(error instanceof Boolean b && !b)) {
      return String.valueOf(error);
    }
    if ("error".equals(json.getValue("object"))) {
      return fromErrorObject(json);
    }
    return null;
  }

  private static String choiceError(JsonObject choice) {
    if (choice.getValue("error") instanceof JsonObject e) {
      return fromErrorObject(e);
    }
    if ("error".equals(choice.getValue("finish_reason"))) {
      return "the answer finished with reason \"error\"";
    }
    return null;
  }

  /** {@code message}, prefixed with the provider's code or type when it gave one. */
  private static String fromErrorObject(JsonObject error) {
    Object message = error.getValue("message");
    String text = message instanceof String m && !m.isBlank() ? m.strip()
        : error.isEmpty() ? "an error without details" : error.encode();
    Object code = error.getValue("code");
    if (!(code instanceof String || code instanceof Number)) {
      code = error.getValue("type");
    }
    if (code instanceof String c && !c.isBlank() && !c.equals("error")) {
      return c.strip() + ": " + text;
    }
    if (code instanceof Number n) {
      return n + ": " + text;
    }
    return text;
  }
}
