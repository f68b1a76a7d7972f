package io.openfusion.shared.sse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;

/**
 * Reads {@code choices[0].delta.content} from an upstream chunk with a streaming parser, without building the chunk's
 * JSON tree: the judge needs only that text, once per token. Same answers as reading it from a {@code JsonObject}
 * (the same parser settings, the last of duplicate keys wins, anything of the wrong type counts as absent, a
 * malformed chunk has no content).
 * <p>The content is a string, or an array of parts (Mistral streams so): then it is the text of the parts of type
 * {@code text}, joined as they come; thinking parts and any other part are skipped, so a model's reasoning never
 * reads as its answer. Reasoning fields beside the content ({@code reasoning}, {@code reasoning_content}) are never
 * read.
 */
public final class DeltaContent {

  private DeltaContent() {
  }

  /** @return the delta's content, or null when the chunk has none (or is not a JSON object) */
  public static String of(String chunk) {
    try (JsonParser parser = JacksonCodec.createParser(chunk)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String content = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean choices = "choices".equals(parser.currentName());
        JsonToken value = parser.nextToken();
        if (choices) {
          content = value == JsonToken.START_ARRAY ? firstChoice(parser) : null;
        }
        parser.skipChildren();
      }
      // whatever follows the object makes the chunk malformed, as it does for the JSON codec
      return parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null ? content : null;
    } catch (IOException | RuntimeException malformed) {
      return null;
    }
  }

  /** Reads the array's first element and skips the rest; the parser ends on the array's end. */
  private static String firstChoice(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    String content = first == JsonToken.START_OBJECT ? delta(parser) : null;
    if (first != JsonToken.END_ARRAY) {
      parser.skipChildren();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        parser.skipChildren();
      }
    }
    return content;
  }

  /** Inside a choice object; the parser ends on its end. */
  private static String delta(JsonParser parser) throws IOException {
    String content = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      boolean delta = "delta".equals(parser.currentName());
      JsonToken value = parser.nextToken();
      if (delta && value == JsonToken.START_OBJECT) {
        content = contentField(parser);
      } else {
        content = delta ? null : content;
        parser.skipChildren();
      }
    }
    return content;
  }

  /** Inside a delta object; the parser ends on its end. */
  private static String contentField(JsonParser parser) throws IOException {
    String content = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      boolean isContent = "content".equals(parser.currentName());
      JsonToken value = parser.nextToken();
      if (isContent) {
        content = value == JsonToken.VALUE_STRING ? parser.getText()
          : value == JsonToken.START_ARRAY ? textParts(parser) : null;
      }
      parser.skipChildren();
    }
    return content;
  }

  /**
   * Inside a content array; the parser ends on its end.
   *
   * @return the text of its {@code text} parts, or null when it has none
   */
  private static String textParts(JsonParser parser) throws IOException {
    StringBuilder text = null;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_OBJECT) {
        parser.skipChildren();
        continue;
      }
      String part = textPart(parser);
      if (part != null) {
        text = text == null ? new StringBuilder(part) : text.append(part);
      }
    }
    return text == null ? null : text.toString();
  }

  /** Inside a part object; the parser ends on its end. @return its text when it is a text part, else null */
  private static String textPart(JsonParser parser) throws IOException {
    String type = null;
    String text = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("type".equals(name)) {
        type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
      } else if ("text".equals(name)) {
        text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
      }
      parser.skipChildren();
    }
    return "text".equals(type) ? text : null;
  }
}
