package io.openfusion.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoding with large strings taken straight from the body gives what Jackson alone gives, for any body. */
class RequestJsonTest {

  private static final int LARGE = RequestJson.LARGE_STRING_BYTES;

  @Test
  void anInlineImageComesBackWhole() {
    String image = "data:image/png;base64," + "QUJD".repeat(LARGE);
    JsonObject request = new JsonObject().put("model", "openfusion").put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "what is it?"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", image))))));
    Buffer body = request.toBuffer();

    assertThat(RequestJson.largeStrings(body)).hasSize(1);
    Object decoded = RequestJson.decode(body);

    assertThat(decoded).isEqualTo(request);
    assertThat(((JsonObject) decoded).getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(1)
      .getJsonObject("image_url").getString("url")).isEqualTo(image);
  }

  @Test
  void stringsWithEscapesOrNonAsciiGoThroughJackson() {
    String escaped = "a\"b\\c\n".repeat(LARGE / 4);
    String accented = "é".repeat(LARGE);
    JsonObject request = new JsonObject().put("escaped", escaped).put("accented", accented)
      .put("list", new JsonArray().add("x".repeat(LARGE)).add(1).add(new JsonObject().put("deep", "y".repeat(LARGE))));
    Buffer body = request.toBuffer();

    assertThat(RequestJson.largeStrings(body)).hasSize(2);
    assertThat(RequestJson.decode(body)).isEqualTo(Json.decodeValue(body)).isEqualTo(request);
  }

  @Test
  void aLargeKeyIsLeftToJacksonWhichRefusesIt() {
    Buffer body = Buffer.buffer("{\"" + "k".repeat(LARGE) + "\": \"" + "v".repeat(LARGE) + "\"}");

    assertThat(RequestJson.largeStrings(body)).hasSize(1);
    assertThatThrownBy(() -> RequestJson.decode(body)).isInstanceOf(DecodeException.class).hasMessage(messageOf(body));
  }

  @Test
  void aBrokenBodyFailsWithJacksonsOwnMessage() {
    Buffer body = Buffer.buffer("{\"url\": \"" + "z".repeat(LARGE) + "\", \"broken\": [1, 2}");

    assertThatThrownBy(() -> RequestJson.decode(body)).isInstanceOf(DecodeException.class)
      .hasMessage(messageOf(body));
  }

  @Test
  void aStringThatLooksLikeTheMarkerIsLeftAlone() {
    JsonObject request = new JsonObject().put("a", "\u0000openfusion-large-string-0:0").put("b", "q".repeat(LARGE));

    assertThat(RequestJson.decode(request.toBuffer())).isEqualTo(request);
  }

  @Property(tries = 200)
  void decodesAsJacksonDoes(@ForAll("documents") String document) {
    Buffer body = Buffer.buffer(document);
    Object expected;
    try {
      expected = Json.decodeValue(body);
    } catch (DecodeException invalid) {
      assertThatThrownBy(() -> RequestJson.decode(body)).isInstanceOf(DecodeException.class)
        .hasMessage(invalid.getMessage());
      return;
    }
    assertThat(RequestJson.decode(body)).isEqualTo(expected);
  }

  /** Objects and arrays whose strings are often large, sometimes escaped, non-ASCII or keys; some cut short. */
  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> text = Arbitraries.oneOf(
      Arbitraries.strings().alpha().numeric().withChars('+', '/', '=', ' ').ofMinLength(0).ofMaxLength(20),
      Arbitraries.strings().alpha().ofLength(1).map(c -> c.repeat(LARGE + 3)),
      Arbitraries.strings().withChars('a', '"', '\\', 'é', '\n', '\u0001').ofMinLength(1).ofMaxLength(8)
        .map(s -> s.repeat(LARGE / 4)));
    Arbitrary<Object> leaf = Arbitraries.oneOf(text.map(s -> (Object) s), Arbitraries.integers().map(i -> (Object) i),
      Arbitraries.of(true, false).map(b -> (Object) b));
    Arbitrary<Object> value = Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
      inner.list().ofMaxSize(3).map(items -> (Object) new JsonArray(items)),
      Arbitraries.maps(text, inner).ofMaxSize(3).map(entries -> (Object) new JsonObject(new java.util.LinkedHashMap<>(entries)))),
      0, 3);
    return Arbitraries.oneOf(
      value.map(v -> Json.encode(new JsonArray().add(v))),
      value.map(v -> Json.encode(new JsonArray().add(v))).map(s -> s.substring(0, Math.max(1, s.length() - 3))));
  }

  private static String messageOf(Buffer body) {
    try {
      Json.decodeValue(body);
      throw new AssertionError("expected invalid JSON");
    } catch (DecodeException invalid) {
      return invalid.getMessage();
    }
  }
}
