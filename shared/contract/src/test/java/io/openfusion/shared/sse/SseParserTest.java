package io.openfusion.shared.sse;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseParserTest {

  private static final String STREAM_LF = ""
      + ": keep-alive comment\n"
      + "data: {\"a\":1}\n"
      + "\n"
      + "event: progress\n"
      + "id: 7\n"
      + "data: line one\n"
      + "data:line two\n"
      + "\n"
      + "retry: 1000\n"
      + "data: [DONE]\n"
      + "\n";

  private static final List<SseEvent> EXPECTED = List.of(
      new SseEvent(null, "{\"a\":1}", null),
      new SseEvent("progress", "line one\nline two", "7"),
      new SseEvent(null, "[DONE]", null));

  private final List<SseEvent> events = new ArrayList<>();
  private final SseParser parser = SseParser.create(1024, events::add);

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void parsesAWholeStreamWithEachLineEnding(String eol) {
    parser.handle(Buffer.buffer(STREAM_LF.replace("\n", eol)));
    parser.end();
    assertThat(events).containsExactlyElementsOf(EXPECTED);
    assertThat(events.get(2).isDone()).isTrue();
    assertThat(events.get(0).isDone()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void parsesTheStreamFedByteByByte(String eol) {
    byte[] bytes = STREAM_LF.replace("\n", eol).getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      parser.handle(Buffer.buffer(new byte[] {b}));
    }
    parser.end();
    assertThat(events).containsExactlyElementsOf(EXPECTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void parsesTheStreamSplitInTwoAtEveryBoundary(String eol) {
    byte[] bytes = STREAM_LF.replace("\n", eol).getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      List<SseEvent> got = new ArrayList<>();
      SseParser p = SseParser.create(1024, got::add);
      p.handle(Buffer.buffer().appendBytes(bytes, 0, cut));
      p.handle(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut));
      p.end();
      assertThat(got).as("split at %d", cut).containsExactlyElementsOf(EXPECTED);
    }
  }

  @Test
  void mixedLineEndingsInOneStream() {
    parser.handle(Buffer.buffer("data: a\r\n\ndata: b\r\rdata: c\n\r\n"));
    assertThat(events).extracting(SseEvent::data).containsExactly("a", "b", "c");
  }

  @Test
  void crAtTheEndOfOneChunkAndLfAtTheStartOfTheNextIsOneLineEnd() {
    parser.handle(Buffer.buffer("data: x\r"));
    parser.handle(Buffer.buffer("\ndata: y\r"));
    parser.handle(Buffer.buffer("\n\r"));
    parser.handle(Buffer.buffer("\n"));
    assertThat(events).containsExactly(new SseEvent(null, "x\ny", null));
  }

  @Test
  void dataWithAndWithoutTheSpaceOnlyOneSpaceIsStripped() {
    parser.handle(Buffer.buffer("data:{\"x\":1}\n\ndata:  two spaces\n\ndata\n\n"));
    assertThat(events).extracting(SseEvent::data).containsExactly("{\"x\":1}", " two spaces", "");
  }

  @Test
  void commentsAndUnknownFieldsAreIgnoredAndEventsWithoutDataAreNotDispatched() {
    parser.handle(Buffer.buffer(": OPENROUTER PROCESSING\n\n:\n\nevent: ping\n\nfoo: bar\nid: 1\n\ndata: real\n\n"));
    assertThat(events).containsExactly(new SseEvent(null, "real", null));
  }

  @Test
  void eventNameAndIdBelongToTheirEventOnly() {
    parser.handle(Buffer.buffer("event: message_start\nid: 1\ndata: {}\n\ndata: {}\n\n"));
    assertThat(events).containsExactly(new SseEvent("message_start", "{}", "1"), new SseEvent(null, "{}", null));
  }

  @Test
  void endFlushesAFinalEventWithoutBlankLine() {
    parser.handle(Buffer.buffer("data: a\n\ndata: last"));
    assertThat(events).hasSize(1);
    parser.end();
    assertThat(events).extracting(SseEvent::data).containsExactly("a", "last");
  }

  @Test
  void endFlushesAFinalEventEndingWithOneNewline() {
    parser.handle(Buffer.buffer("data: last\n"));
    parser.end();
    assertThat(events).extracting(SseEvent::data).containsExactly("last");
  }

  @Test
  void endWithNothingPendingDispatchesNothing() {
    parser.handle(Buffer.buffer("data: a\n\n: trailing comment"));
    parser.end();
    assertThat(events).hasSize(1);
  }

  @Test
  void utf8SplitInsideACharacterAndALeadingBomAreHandled() {
    byte[] bytes = ("\uFEFFdata: h\u00e9llo \u20ac \uD83D\uDE00\n\n").getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      parser.handle(Buffer.buffer(new byte[] {b}));
    }
    assertThat(events).containsExactly(new SseEvent(null, "h\u00e9llo \u20ac \uD83D\uDE00", null));
  }

  @Test
  void oversizeEventFailsAndTheParserThenIgnoresInput() {
    SseParser small = SseParser.create(64, events::add);
    small.handle(Buffer.buffer("data: ok\n\n"));
    String big = "data: " + "x".repeat(40) + "\n";
    small.handle(Buffer.buffer(big));
    assertThatThrownBy(() -> small.handle(Buffer.buffer(big)))
        .isInstanceOf(SseTooLargeException.class)
        .hasMessage("SSE event exceeded 64 bytes");
    small.handle(Buffer.buffer("\n\ndata: after\n\n"));
    small.end();
    assertThat(events).extracting(SseEvent::data).containsExactly("ok");
  }

  @Test
  void oversizeLineWithoutTerminatorFailsWhileItArrives() {
    SseParser small = SseParser.create(100, events::add);
    small.handle(Buffer.buffer("data: " + "y".repeat(90)));
    assertThatThrownBy(() -> small.handle(Buffer.buffer("y".repeat(10))))
        .isInstanceOf(SseTooLargeException.class)
        .satisfies(e -> assertThat(((SseTooLargeException) e).maxEventBytes()).isEqualTo(100));
  }

  @Test
  void limitAppliesPerEventNotPerStream() {
    SseParser small = SseParser.create(32, events::add);
    for (int i = 0; i < 1000; i++) {
      small.handle(Buffer.buffer("data: {\"i\":" + i + "}\n\n"));
    }
    assertThat(events).hasSize(1000);
  }

  @Test
  void manyCommentLinesDoNotCountTowardsTheLimit() {
    SseParser small = SseParser.create(32, events::add);
    for (int i = 0; i < 100; i++) {
      small.handle(Buffer.buffer(": keep-alive\n"));
    }
    small.handle(Buffer.buffer("data: x\n\n"));
    assertThat(events).extracting(SseEvent::data).containsExactly("x");
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThatThrownBy(() -> SseParser.create(0, e -> { })).isInstanceOf(IllegalArgumentException.class);
  }
}
