package io.openfusion.autorouter;

import io.openfusion.shared.chat.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Extracts the text the router judges a request by. */
final class PromptText {

  private PromptText() {
  }

  /**
   * The latest user turn's text: a string content, or the {@code text} parts of a content array joined by
   * newlines; "" when there is no user turn. Only the latest turn counts because it is the question being
   * asked now; joining every user turn would make every long chat look "hard".
   */
  static String latestUserText(JsonArray messages) {
    if (messages == null) {
      return "";
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject message && "user".equals(message.getValue("role"))) {
        return Json.text(message.getValue("content"));
      }
    }
    return "";
  }

  /** Length in code points, so an emoji counts once. */
  static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  /** The first {@code max} code points of {@code text}, never splitting a surrogate pair. */
  static String truncate(String text, int max) {
    if (length(text) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max));
  }
}
