package io.openfusion.shared.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Type-tolerant reads of JSON from clients and upstreams: a field of the wrong type reads as absent
 * instead of throwing {@link ClassCastException} deep inside a handler.
 */
public final class Json {

  private Json() {
  }

  public static JsonObject object(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonObject value ? value : null;
  }

  public static JsonArray array(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonArray value ? value : null;
  }

  public static String string(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof String value ? value : null;
  }

  /** The text of a message {@code content}: a string, or the text parts of a content-part array joined by newlines. */
  public static String text(Object content) {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof JsonObject p && "text".equals(p.getValue("type")) && p.getValue("text") instanceof String t) {
          if (text.length() > 0) {
            text.append('\n');
          }
          text.append(t);
        }
      }
      return text.toString();
    }
    return "";
  }
}
