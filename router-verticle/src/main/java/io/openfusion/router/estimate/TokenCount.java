package io.openfusion.router.estimate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Predicate;

/**
 * The estimate's token arithmetic: four characters per token over message text. Images and other
 * non-text parts are ignored; they are priced per provider in ways a chars/4 rule cannot follow.
 */
public final class TokenCount {

  /** Characters per token, the usual rule of thumb for English text. */
  static final int CHARS_PER_TOKEN = 4;

  private TokenCount() {
  }

  /**
   * @param messages a request's {@code messages}
   * @return {@code max(1, chars / 4)} over every message's text, or 0 when {@code messages} is not
   *     an array
   */
  public static long input(Object messages) {
    if (!(messages instanceof JsonArray)) {
      return 0;
    }
    return tokens(chars(messages, m -> true));
  }

  /** @return {@code max(1, chars / 4)} */
  static long tokens(long chars) {
    return Math.max(1, chars / CHARS_PER_TOKEN);
  }

  /** Text characters of the messages that pass {@code which}; 0 when {@code messages} is not an array. */
  static long chars(Object messages, Predicate<JsonObject> which) {
    if (!(messages instanceof JsonArray list)) {
      return 0;
    }
    long chars = 0;
    for (Object item : list) {
      if (item instanceof JsonObject message && which.test(message)) {
        chars += chars(message.getValue("content"));
      }
    }
    return chars;
  }

  private static long chars(Object content) {
    if (content instanceof String s) {
      return length(s);
    }
    long chars = 0;
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject p && "text".equals(p.getValue("type")) && p.getValue("text") instanceof String t) {
          chars += length(t);
        }
      }
    }
    return chars;
  }

  /** Code points, not UTF-16 units, so an emoji counts as one character. */
  private static long length(String s) {
    return s.codePointCount(0, s.length());
  }
}
