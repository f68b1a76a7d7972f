package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The health check of each streamed data payload, before it reaches the caller: it must look like a JSON object and
 * must not report an error ({@link InBandErrors}); on the way, {@code usage} and {@code finish_reason} are picked up.
 * Kept cheap for the typical token chunk ({@code "finish_reason":null}, no usage, no error): a payload is parsed only
 * when it mentions {@code "usage"} or {@code "finish_reason"} with a non-null value, or contains {@code "error"}.
 * <p>Usage: the last non-null top-level {@code usage} wins, on the finish chunk or on a final {@code choices: []}
 * chunk alike ({@code usage: null} chunks are ignored); Groq's {@code x_groq.usage} is used when no top-level usage
 * came. The object is kept as the provider sent it.
 */
final class ChunkTracker {

  private static final String USAGE = "\"usage\"";
  private static final String FINISH = "\"finish_reason\"";

  private final String apiKey;
  private JsonObject usage;
  private JsonObject groqUsage;
  private String finishReason;
  private int chunks;

  /** @param apiKey masked out of the error messages an upstream sends back */
  ChunkTracker(String apiKey) {
    this.apiKey = apiKey;
  }

  /**
   * @return {@code true} when the payload is acceptable and should be handed on, {@code false} for a blank payload
   * @throws UpstreamException BAD_RESPONSE when it is not a JSON object, PROVIDER_ERROR when it reports an error
   */
  boolean accept(String data) {
    int first = firstNonBlank(data);
    if (first < 0) {
      return false;
    }
    int last = lastNonBlank(data);
    if (data.charAt(first) != '{' || data.charAt(last) != '}') {
      throw UpstreamErrors.invalidSse();
    }
    if (InBandErrors.mayReport(data) || mentionsNonNull(data, USAGE) || mentionsNonNull(data, FINISH)) {
      inspect(data);
    }
    chunks++;
    return true;
  }

  int chunks() {
    return chunks;
  }

  StreamResult result() {
    return new StreamResult(usage != null ? usage : groqUsage, finishReason, chunks);
  }

  private void inspect(String data) {
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (RuntimeException e) {
      throw UpstreamErrors.invalidSse();
    }
    UpstreamException reported = InBandErrors.ofChunk(json, apiKey);
    if (reported != null) {
      throw reported;
    }
    if (json.getValue("usage") instanceof JsonObject u) {
      usage = u;
    } else if (json.getValue("x_groq") instanceof JsonObject groq && groq.getValue("usage") instanceof JsonObject u) {
      groqUsage = u;
    }
    if (json.getValue("choices") instanceof JsonArray choices) {
      for (Object c : choices) {
        if (c instanceof JsonObject choice && choice.getValue("finish_reason") instanceof String reason) {
          finishReason = reason;
        }
      }
    }
  }

  /** @return whether {@code key} appears followed by {@code :} and a value other than {@code null} */
  static boolean mentionsNonNull(String text, String key) {
    int at = text.indexOf(key);
    while (at >= 0) {
      int i = skipBlank(text, at + key.length());
      if (i < text.length() && text.charAt(i) == ':') {
        i = skipBlank(text, i + 1);
        if (!text.startsWith("null", i)) {
          return true;
        }
      }
      at = text.indexOf(key, at + key.length());
    }
    return false;
  }

  private static int skipBlank(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int firstNonBlank(String s) {
    int i = skipBlank(s, 0);
    return i < s.length() ? i : -1;
  }

  private static int lastNonBlank(String s) {
    int i = s.length() - 1;
    while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
      i--;
    }
    return i;
  }
}
