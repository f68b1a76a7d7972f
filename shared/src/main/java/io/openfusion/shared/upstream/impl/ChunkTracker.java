package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.StreamResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks each streamed data payload cheaply and picks up {@code usage} and {@code finish_reason}. A payload is parsed
 * only when it mentions {@code "usage"} or {@code "finish_reason"} with a non-null value, so the typical token chunk
 * ({@code "finish_reason":null}) is never parsed; otherwise it only has to look like a JSON object.
 */
final class ChunkTracker {

  private static final String USAGE = "\"usage\"";
  private static final String FINISH = "\"finish_reason\"";

  private JsonObject usage;
  private String finishReason;
  private int chunks;
  private boolean done;

  /**
   * @return {@code true} when the payload is acceptable and should be handed on, {@code false} for a blank payload
   * @throws io.openfusion.shared.upstream.UpstreamException BAD_RESPONSE when it is not a JSON object
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
    if (mentionsNonNull(data, USAGE) || mentionsNonNull(data, FINISH)) {
      inspect(data);
    }
    chunks++;
    return true;
  }

  void done() {
    done = true;
  }

  int chunks() {
    return chunks;
  }

  StreamResult result() {
    return new StreamResult(usage, finishReason, chunks, done);
  }

  private void inspect(String data) {
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (RuntimeException e) {
      throw UpstreamErrors.invalidSse();
    }
    if (json.getValue("usage") instanceof JsonObject u) {
      usage = u;
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
