package io.openfusion.shared.sse;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Random input through the SSE parser: it never throws anything but its size guard, and splitting never changes the result. */
class SseParserPropertiesTest {

  private static final int LIMIT = 4096;

  @Property(tries = 3000)
  void arbitraryBytesOnlyEverFailWithTheSizeGuard(@ForAll byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int chunk) {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = SseParser.create(LIMIT, events::add);
    try {
      for (int i = 0; i < bytes.length; i += chunk) {
        byte[] part = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk));
        parser.handle(Buffer.buffer(part));
      }
      parser.end();
    } catch (SseTooLargeException expected) {
      // the only failure a hostile upstream may cause
    }
    events.forEach(e -> assertThat(e.data()).isNotNull());
  }

  @Property(tries = 2000)
  void howTheStreamIsSplitNeverChangesTheEvents(@ForAll("streams") String stream, @ForAll @IntRange(min = 1, max = 17) int chunk) {
    List<SseEvent> whole = parse(stream, Integer.MAX_VALUE);
    List<SseEvent> split = parse(stream, chunk);
    assertThat(split).isEqualTo(whole);
  }

  private static List<SseEvent> parse(String stream, int chunk) {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = SseParser.create(1 << 20, events::add);
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += chunk) {
      parser.handle(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, (int) Math.min(bytes.length, (long) i + chunk))));
    }
    parser.end();
    return events;
  }

  @Provide
  Arbitrary<String> streams() {
    Arbitrary<String> lineEnd = Arbitraries.of("\n", "\r\n", "\r");
    Arbitrary<String> field = Arbitraries.of("data: ", "data:", "event: ", "id: ", ": ", "retry: ");
    Arbitrary<String> value = Arbitraries.strings().withChars("abc{}\":, é€[]").ofMaxLength(12);
    Arbitrary<String> line = net.jqwik.api.Combinators.combine(field, value, lineEnd).as((f, v, e) -> f + v + e);
    Arbitrary<String> event = line.list().ofMinSize(1).ofMaxSize(4)
      .flatMap(lines -> lineEnd.map(end -> String.join("", lines) + end));
    return event.list().ofMaxSize(6).map(events -> String.join("", events));
  }
}
