package io.openfusion.shared.demo.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Reading the text out of OpenAI messages, shared by answer generation and usage counting. */
public final class DemoText {

  private static final int TOPIC_WORDS = 12;

  private DemoText() {
  }

  /** A message's text: a plain string, or the {@code text} parts of a multimodal list. */
  public static String contentText(Object content) {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder sb = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
          if (sb.length() > 0) {
            sb.append('\n');
          }
          sb.append(t);
        }
      }
      return sb.toString();
    }
    return "";
  }

  /** Characters of every message's text, the basis of the chars/4 prompt-token estimate. */
  public static long promptChars(JsonArray messages) {
    long chars = 0;
    for (Object m : messages) {
      if (m instanceof JsonObject msg) {
        chars += contentText(msg.getValue("content")).length();
      }
    }
    return chars;
  }

  /** The last user turn, or the last turn of any role when there is no user turn. */
  public static String lastUserText(JsonArray messages) {
    String fallback = "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject msg) {
        String text = contentText(msg.getValue("content"));
        if ("user".equals(msg.getString("role"))) {
          return text;
        }
        if (fallback.isEmpty()) {
          fallback = text;
        }
      }
    }
    return fallback;
  }

  /** System and developer instructions joined, where the judge and router prompts live. */
  public static String systemText(JsonArray messages) {
    StringBuilder sb = new StringBuilder();
    for (Object m : messages) {
      if (m instanceof JsonObject msg && List.of("system", "developer").contains(msg.getString("role"))) {
        sb.append(contentText(msg.getValue("content"))).append('\n');
      }
    }
    return sb.toString();
  }

  /** A short, quote-safe echo of the request so each answer visibly depends on it. */
  public static String topic(String text) {
    String[] words = text.replace('"', '\'').trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return "your request";
    }
    int n = Math.min(words.length, TOPIC_WORDS);
    String topic = String.join(" ", List.of(words).subList(0, n)).replaceAll("[\\s.,;:!?]+$", "");
    if (topic.isEmpty()) {
      return "your request";
    }
    return words.length > n ? topic + "…" : topic;
  }

  public static int wordCount(String text) {
    String t = text.trim();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  /** Stable across JVMs (String.hashCode is specified) and well mixed, so variants spread evenly. */
  public static long seed(String... parts) {
    long h = 0x9E3779B97F4A7C15L;
    for (String p : parts) {
      h = mix(h ^ p.hashCode());
    }
    return h;
  }

  public static String pick(List<String> pool, long seed, int salt) {
    return pool.get((int) Math.floorMod(mix(seed + salt), (long) pool.size()));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
