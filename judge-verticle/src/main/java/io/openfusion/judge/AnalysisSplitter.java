package io.openfusion.judge;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Separates the judge's answer from the structured analysis it appends after {@link #SENTINEL}, as the
 * text streams in. It holds back just enough characters to recognise a sentinel split across chunks,
 * so the answer still streams with no visible delay.
 */
final class AnalysisSplitter {

  static final String SENTINEL = "===ANALYSIS===";

  private final StringBuilder pending = new StringBuilder();
  private final StringBuilder trailer = new StringBuilder();
  private boolean inTrailer;

  /** Feeds one delta; returns the part that is safe to show as answer text (possibly empty). */
  String accept(String delta) {
    if (inTrailer) {
      trailer.append(delta);
      return "";
    }
    pending.append(delta);
    int at = pending.indexOf(SENTINEL);
    if (at >= 0) {
      String answer = pending.substring(0, at);
      trailer.append(pending, at + SENTINEL.length(), pending.length());
      pending.setLength(0);
      inTrailer = true;
      return answer;
    }
    int keep = Math.min(pending.length(), SENTINEL.length() - 1);
    // only hold back a tail that could still grow into the sentinel
    while (keep > 0 && !couldStartSentinel(pending.length() - keep)) {
      keep--;
    }
    int safe = pending.length() - keep;
    if (safe == 0) {
      return "";
    }
    String answer = pending.substring(0, safe);
    pending.delete(0, safe);
    return answer;
  }

  /** Whether the text from {@code from} to the end of {@code pending} is a prefix of the sentinel (no copies: per token). */
  private boolean couldStartSentinel(int from) {
    for (int i = from, j = 0; i < pending.length(); i++, j++) {
      if (pending.charAt(i) != SENTINEL.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** The held-back answer text once the stream has ended. */
  String flush() {
    String rest = pending.toString();
    pending.setLength(0);
    return rest;
  }

  /** The analysis object, {@code {"raw": text}} when it is not a JSON object, or null when none was sent. */
  JsonObject analysis() {
    String text = trailer.toString().strip();
    if (text.isEmpty()) {
      return null;
    }
    try {
      if (text.startsWith("{")) {
        return new JsonObject(text);
      }
    } catch (DecodeException notJson) {
      // a model that wrapped the JSON in prose or a code fence: keep it readable rather than lose it
    }
    return new JsonObject().put("raw", text);
  }
}
