package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * Maps OpenAI message content (a string or a list of parts) to Anthropic content blocks. Anthropic rejects empty text
 * blocks, so empty text is dropped; parts it cannot represent (audio, files, refusals) are dropped too rather than
 * failing the whole call.
 */
final class Contents {

  private Contents() {
  }

  /** Text parts and images, for user messages. */
  static JsonArray userBlocks(Object content) {
    JsonArray blocks = new JsonArray();
    if (content instanceof String s) {
      addText(blocks, s, null);
    } else if (content instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part) {
          switch (String.valueOf(part.getValue("type"))) {
            case "text" -> addText(blocks, part.getValue("text"), part.getValue("cache_control"));
            case "image_url" -> addImage(blocks, part);
            default -> { }
          }
        }
      }
    }
    return blocks;
  }

  /**
   * Text parts only, each a block that keeps its {@code cache_control}; for system and assistant content, where
   * Anthropic takes no images.
   */
  static JsonArray textBlocks(Object content) {
    JsonArray blocks = new JsonArray();
    if (content instanceof String s) {
      addText(blocks, s, null);
    } else if (content instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && "text".equals(part.getValue("type"))) {
          addText(blocks, part.getValue("text"), part.getValue("cache_control"));
        }
      }
    }
    return blocks;
  }

  /** The text of string or list content, parts joined without a separator (as OpenAI concatenates them). */
  static String text(Object content) {
    StringBuilder sb = new StringBuilder();
    for (Object b : textBlocks(content)) {
      sb.append(((JsonObject) b).getString("text"));
    }
    return sb.toString();
  }

  private static void addText(JsonArray blocks, Object text, Object cacheControl) {
    if (!(text instanceof String s) || s.isEmpty()) {
      return;
    }
    JsonObject block = new JsonObject().put("type", "text").put("text", s);
    if (cacheControl instanceof JsonObject cc) {
      block.put("cache_control", cc.copy());
    }
    blocks.add(block);
  }

  /**
   * {@code image_url} is an object with {@code url} in the OpenAI spec; some clients send the URL as a plain string,
   * which is accepted too.
   */
  private static void addImage(JsonArray blocks, JsonObject part) {
    Object value = part.getValue("image_url");
    Object url = value instanceof JsonObject o ? o.getValue("url") : value;
    if (url instanceof String u) {
      JsonObject source = imageSource(u.trim());
      if (source != null) {
        JsonObject block = new JsonObject().put("type", "image").put("source", source);
        if (part.getValue("cache_control") instanceof JsonObject cc) {
          block.put("cache_control", cc.copy());
        }
        blocks.add(block);
      }
    }
  }

  /**
   * {@code data:<media type>;base64,<data>} becomes a base64 source; an http(s) URL a URL source that Anthropic
   * fetches itself. Anything else (non-base64 data URLs, other schemes) has no Anthropic form.
   */
  static JsonObject imageSource(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return new JsonObject().put("type", "url").put("url", url);
    }
    if (!lower.startsWith("data:")) {
      return null;
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return null;
    }
    String meta = url.substring("data:".length(), comma);
    String[] params = meta.split(";");
    boolean base64 = false;
    for (int i = 1; i < params.length; i++) {
      base64 |= params[i].trim().equalsIgnoreCase("base64");
    }
    String mediaType = params[0].trim().toLowerCase(Locale.ROOT);
    if (!base64 || mediaType.isEmpty()) {
      return null;
    }
    return new JsonObject().put("type", "base64").put("media_type", mediaType).put("data", url.substring(comma + 1));
  }
}
