package io.openfusion.shared.sse;

import io.openfusion.shared.chat.Json;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaContentTest {

  @Test
  void readsWhatTheJsonTreeReads() {
    List<String> chunks = List.of(
      "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"role\":\"assistant\",\"content\":\" data\\\"base\\n \\u00e9 😀\"},\"finish_reason\":null}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":null}}]}",
      "{\"choices\":[{\"delta\":{\"content\":42}}]}",
      "{\"choices\":[{\"delta\":{\"content\":{\"nested\":\"x\"}}}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"content\":\"no\"}]}}]}",
      "{\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"t\"}]},\"delta\":{\"content\":\"yes\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"first\",\"content\":\"second\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"a\"},\"delta\":[1]}]}",
      "{\"choices\":[{\"delta\":[\"content\"]}]}",
      "{\"choices\":[\"text\",{\"delta\":{\"content\":\"second choice\"}}]}",
      "{\"choices\":[[{\"delta\":{\"content\":\"nested\"}}],{\"delta\":{\"content\":\"second\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"one\"}},{\"delta\":{\"content\":\"two\"}}]}",
      "{\"choices\":[]}",
      "{\"choices\":{\"delta\":{\"content\":\"not an array\"}}}",
      "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"choices\":null}",
      "{\"usage\":{\"prompt_tokens\":3},\"choices\":[]}",
      "{\"content\":\"top level\"}",
      "{/* comment */\"choices\":[{\"delta\":{\"content\":\"commented\"}}]}",
      "[{\"choices\":[]}]",
      "\"string\"",
      "{\"choices\":[{\"delta\":{\"content\":\"cut",
      "{\"choices\":[{\"delta\":{\"content\":\"ok\"}}]} trailing",
      "{\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}{}",
      "",
      "not json",
      // Mistral's content parts: text parts only, thinking parts (and their nested text) skipped
      "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"Par\"},{\"type\":\"text\",\"text\":\"is\"}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"hm\"}]}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"hm\"}]},"
        + "{\"text\":\"after\",\"type\":\"text\"}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"\"}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[\"loose\",1,null,[{\"type\":\"text\",\"text\":\"deep\"}],{\"type\":\"text\",\"text\":7}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"a\",\"type\":\"image_url\"}]}}]}",
      "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"content\":\"last\"}}]}",
      // reasoning beside the content is never read as content
      "{\"choices\":[{\"delta\":{\"reasoning\":\"think\",\"reasoning_content\":\"think\",\"content\":null}}]}",
      "{\"choices\":[{\"delta\":{\"reasoning_content\":\"think\",\"content\":\"\"}}]}");
    for (String chunk : chunks) {
      assertThat(DeltaContent.of(chunk)).as(chunk).isEqualTo(fromTree(chunk));
    }
  }

  @Test
  void contentPartsGiveTheirTextAndNeverTheThinking() {
    assertThat(DeltaContent.of("{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":"
      + "[{\"type\":\"text\",\"text\":\"secret plan\"}]},{\"type\":\"text\",\"text\":\"Par\"},{\"type\":\"text\",\"text\":\"is\"}]}}]}"))
      .isEqualTo("Paris");
    assertThat(DeltaContent.of("{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":"
      + "[{\"type\":\"text\",\"text\":\"secret plan\"}]}]}}]}")).isNull();
    assertThat(DeltaContent.of("{\"choices\":[{\"delta\":{\"reasoning\":\"secret plan\"}}]}")).isNull();
  }

  /**
   * The reading from the whole chunk as a JsonObject: the judge's reading before, with content parts read as the
   * concatenated text of their {@code text} parts (null when there is none).
   */
  private static String fromTree(String data) {
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
    JsonArray choices = Json.array(chunk, "choices");
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
      return null;
    }
    JsonObject delta = Json.object(choice, "delta");
    if (delta != null && delta.getValue("content") instanceof JsonArray parts) {
      StringBuilder text = null;
      for (Object p : parts) {
        if (p instanceof JsonObject part && "text".equals(part.getValue("type")) && part.getValue("text") instanceof String t) {
          text = text == null ? new StringBuilder(t) : text.append(t);
        }
      }
      return text == null ? null : text.toString();
    }
    return Json.string(delta, "content");
  }
}
