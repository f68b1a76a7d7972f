package io.openfusion.api.wire;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseFrameReaderTest {

  private static final String STREAM = ": progress {\"stage\":\"panel\"}\n\n"
    + "data: {\"text\":\"Grüße 🌍\"}\n\n"
    + "event: usage\ndata: {\"a\":1}\n\n"
    + "data: line one\r\ndata: line two\r\n\r\n"
    + "data: [DONE]\n\n";

  @Test
  void readsDataCommentsNamedEventsAndMultiLineData() {
    List<SseFrameReader.Frame> frames = new SseFrameReader().read(Buffer.buffer(STREAM));

    assertThat(frames).containsExactly(
      new SseFrameReader.Frame(null, null, "progress {\"stage\":\"panel\"}"),
      new SseFrameReader.Frame(null, "{\"text\":\"Grüße 🌍\"}", null),
      new SseFrameReader.Frame("usage", "{\"a\":1}", null),
      new SseFrameReader.Frame(null, "line one\nline two", null),
      new SseFrameReader.Frame(null, "[DONE]", null));
  }

  @Test
  void aFrameSplitAnywhereIsReadOnceWhole() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    List<SseFrameReader.Frame> reference = new SseFrameReader().read(Buffer.buffer(bytes));
    for (int a = 0; a <= bytes.length; a++) {
      for (int b = a; b <= bytes.length; b += 7) {
        SseFrameReader reader = new SseFrameReader();
        List<SseFrameReader.Frame> frames = new ArrayList<>();
        frames.addAll(reader.read(Buffer.buffer(Arrays.copyOfRange(bytes, 0, a))));
        frames.addAll(reader.read(Buffer.buffer(Arrays.copyOfRange(bytes, a, b))));
        frames.addAll(reader.read(Buffer.buffer(Arrays.copyOfRange(bytes, b, bytes.length))));
        assertThat(frames).as("cut at %d and %d", a, b).isEqualTo(reference);
      }
    }
  }

  @Test
  void anUnfinishedFrameWaitsForItsBlankLine() {
    SseFrameReader reader = new SseFrameReader();

    assertThat(reader.read(Buffer.buffer("data: {\"x\":1}\n"))).isEmpty();
    assertThat(reader.read(Buffer.buffer("\n"))).containsExactly(new SseFrameReader.Frame(null, "{\"x\":1}", null));
  }

  @Test
  void extrasAreGatheredFromCommentsAndNamedEvents() {
    FusionExtras extras = new FusionExtras();
    extras.comment("progress {\"stage\":\"panel\"}");
    extras.comment("keep-alive");
    extras.comment("panel_answer {\"label\":\"A\",\"content\":\"x\"}");
    extras.event("panel_answer", "{\"label\":\"B\",\"content\":\"y\"}");
    extras.comment("usage {\"total\":{\"cost\":0.5}}");
    extras.comment("analysis not json");

    assertThat(extras.toJson().getJsonArray("panel_answers")).hasSize(2);
    assertThat(extras.toJson().getJsonObject("usage_report").getJsonObject("total").getDouble("cost")).isEqualTo(0.5);
    assertThat(extras.toJson().containsKey("analysis")).isFalse();
    assertThat(new FusionExtras().toJson()).isNull();
  }
}
