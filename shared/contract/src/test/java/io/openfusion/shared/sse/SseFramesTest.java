package io.openfusion.shared.sse;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseFramesTest {

  @Test
  void formatsFrames() {
    assertThat(SseFrames.data("{\"a\":1}").toString()).isEqualTo("data: {\"a\":1}\n\n");
    assertThat(SseFrames.event("progress", "{}").toString()).isEqualTo("event: progress\ndata: {}\n\n");
    assertThat(SseFrames.done().toString()).isEqualTo("data: [DONE]\n\n");
    assertThat(SseFrames.comment("keep-alive").toString()).isEqualTo(": keep-alive\n\n");
  }

  @Test
  void doneReturnsAFreshBufferEachTime() {
    Buffer a = SseFrames.done();
    a.appendString("tampered");
    assertThat(SseFrames.done().toString()).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void multiLineValuesStayWellFormedAndRoundTripThroughTheParser() {
    assertThat(SseFrames.data("a\nb").toString()).isEqualTo("data: a\ndata: b\n\n");
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = SseParser.create(1024, events::add);
    parser.handle(SseFrames.event("x\ny", "l1\r\nl2"));
    parser.handle(SseFrames.comment("c1\nc2"));
    parser.handle(SseFrames.done());
    assertThat(events).containsExactly(new SseEvent("x y", "l1\nl2", null), new SseEvent(null, "[DONE]", null));
  }

  @Test
  void appendingGivesTheSameBytesAsFraming() {
    for (String value : List.of("{\"a\":1}", "", "naïve ✓ 😀", "a\nb", "x\r\ny", "[DONE]")) {
      Buffer target = Buffer.buffer("head|");
      SseFrames.appendData(target, value);
      assertThat(target.toString()).as(value).isEqualTo("head|" + SseFrames.data(value));
    }
  }
}
