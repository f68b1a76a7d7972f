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
      "not json");
    for (String chunk : chunks) {
      assertThat(DeltaContent.of(chunk)).as(chunk).isEqualTo(fromTree(chunk));
    }
  }

  /** The reading the judge did before: the whole chunk as a JsonObject. */
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
    return Json.string(Json.object(choice, "delta"), "content");
  }
}
