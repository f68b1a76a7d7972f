package io.openfusion.shared.upstream.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The encoder writes the bytes {@code toBuffer()} writes, keeping small bodies on the heap and large ones off it. */
class BodyEncoderTest {

  @Test
  void aSmallBodyStaysOnTheHeap() {
    JsonObject body = chat("hello", "ok");

    Buffer encoded = BodyEncoder.encode(body);

    assertThat(encoded.toString()).isEqualTo(body.encode());
    assertThat(((BufferInternal) encoded).getByteBuf().isDirect()).isFalse();
  }

  @Test
  void anInlineImageGoesToDirectMemoryAndComesOutWhole() {
    String image = "data:image/png;base64," + "QUJD".repeat(3 * BodyEncoder.CHUNK_BYTES / 4 + 17);
    JsonObject body = chat("what is it? é ✓", image);

    Buffer encoded = BodyEncoder.encode(body);

    assertThat(((BufferInternal) encoded).getByteBuf().isDirect()).isTrue();
    assertThat(encoded.length()).isEqualTo(body.toBuffer().length());
    assertThat(encoded).isEqualTo(body.toBuffer());
    assertThat(new JsonObject(encoded)).isEqualTo(body);
  }

  @Test
  void aBodyOfExactlyTheSpillSizeStaysOnTheHeap() {
    JsonObject empty = new JsonObject().put("s", "");
    String filler = "x".repeat(BodyEncoder.SPILL_BYTES - empty.encode().length());
    JsonObject body = new JsonObject().put("s", filler);

    Buffer encoded = BodyEncoder.encode(body);

    assertThat(encoded.length()).isEqualTo(BodyEncoder.SPILL_BYTES);
    assertThat(((BufferInternal) encoded).getByteBuf().isDirect()).isFalse();
    assertThat(encoded).isEqualTo(body.toBuffer());
  }

  @Test
  void aBufferCanBeReadAgainAfterItWasHandedOut() {
    JsonObject body = chat("q", "y".repeat(BodyEncoder.SPILL_BYTES * 3));
    Buffer encoded = BodyEncoder.encode(body);

    // the client may send a body twice (a redirect, a replayed request): each hand-out is a fresh view
    ((BufferInternal) encoded).getByteBuf().skipBytes(100);

    assertThat(encoded).isEqualTo(body.toBuffer());
  }

  @Property(tries = 200)
  void encodesAsToBufferDoes(@ForAll("bodies") JsonObject body) {
    assertThat(BodyEncoder.encode(body)).isEqualTo(body.toBuffer());
  }

  @Provide
  Arbitrary<JsonObject> bodies() {
    Arbitrary<String> text = Arbitraries.oneOf(
      Arbitraries.strings().ofMinLength(0).ofMaxLength(30),
      Arbitraries.strings().withChars('a', '"', '\\', 'é', '\n', '\u0001', '\u2028', '😀').ofMinLength(1).ofMaxLength(8),
      Arbitraries.integers().between(1, 3).map(n -> "b".repeat(n * BodyEncoder.CHUNK_BYTES / 2 + n)));
    Arbitrary<Object> leaf = Arbitraries.oneOf(text.map(s -> (Object) s),
      Arbitraries.longs().map(l -> (Object) l), Arbitraries.doubles().map(d -> (Object) d),
      Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(null));
    Arbitrary<Object> value = Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
      inner.list().ofMaxSize(3).map(list -> (Object) new JsonArray(list)),
      Arbitraries.maps(text.filter(s -> s.length() < 100), inner).ofMaxSize(3)
        .map(entries -> (Object) new JsonObject(new LinkedHashMap<>(entries)))), 3);
    return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6), value).ofMaxSize(4)
      .map(entries -> new JsonObject(new LinkedHashMap<>(entries)));
  }

  private static JsonObject chat(String question, String image) {
    return new JsonObject().put("model", "gpt").put("stream", true).put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", question))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", image))))));
  }
}
