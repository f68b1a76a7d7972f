package io.openfusion.shared.sse;

import io.openfusion.shared.chat.Completions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkFramesTest {

  private static final List<String> TEXTS = List.of(" database", "", "a \"quoted\" \\ back\\slash", "line\nbreak\r\ttab",
    "\u0000\u0001\u001f\u007f control", "naïve café ✓ 😀 日本語", "</script> & <b>", "\u2028\u2029 separators",
    "===ANALYSIS===", "x".repeat(5000));

  @Test
  void framesAreByteForByteWhatTheJsonTreeGives() {
    for (String model : new String[]{"openfusion", "vendor/model \"odd\" \"delta\":{}", "ünïcode"}) {
      ChunkFrames frames = new ChunkFrames("chatcmpl-abc123", 1_732_212_345L, model);
      for (String text : TEXTS) {
        for (boolean role : new boolean[]{true, false}) {
          JsonObject delta = role ? new JsonObject().put("role", "assistant") : new JsonObject();
          String expected = SseFrames.data(Completions.chunk("chatcmpl-abc123", 1_732_212_345L, model,
            delta.put("content", text), null).encode()).toString();
          assertThat(frames.content(text, role).toString()).as(model + " / " + text + " / role " + role)
            .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aNullModelIsWrittenAsTheTreeWritesIt() {
    String expected = SseFrames.data(Completions.chunk("id-1", 7, null, new JsonObject().put("content", "hi"), null)
      .encode()).toString();
    assertThat(new ChunkFrames("id-1", 7, null).content("hi", false).toString()).isEqualTo(expected);
  }
}
