package io.openfusion.api.chat;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random bodies through the request validator: every one is either accepted or refused
 * with a 4xx {@link ApiError}; nothing else ever escapes (which would become a 500).
 */
class ChatRequestValidatorPropertiesTest {

  @Property(tries = 3000)
  void arbitraryBytesNeverEscapeAsAnythingButA4xx(@ForAll byte[] bytes) {
    assertOnlyClientErrors(Buffer.buffer(bytes));
  }

  @Property(tries = 3000)
  void arbitraryJsonNeverEscapesAsAnythingButA4xx(@ForAll("jsonValues") Object value) {
    String text = value instanceof JsonObject o ? o.encode() : value instanceof JsonArray a ? a.encode() : String.valueOf(value);
    assertOnlyClientErrors(Buffer.buffer(text));
  }

  @Property(tries = 3000)
  void chatShapedBodiesWithRandomFieldTypes(@ForAll("chatBodies") JsonObject body) {
    assertOnlyClientErrors(body.toBuffer());
  }

  @Property(tries = 200)
  void deeplyNestedJsonIsRefusedCleanly(@ForAll("depths") int depth) {
    String nested = "[".repeat(depth) + "]".repeat(depth);
    assertOnlyClientErrors(Buffer.buffer("{\"model\":\"openfusion\",\"messages\":" + nested + "}"));
  }

  private static void assertOnlyClientErrors(Buffer raw) {
    try {
      ChatRequestValidator.parse(raw);
    } catch (ApiError error) {
      assertThat(error.status()).isBetween(400, 499);
      assertThat(error.code()).isNotBlank();
      assertThat(error.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(1, 5000);
  }

  @Provide
  Arbitrary<Object> jsonValues() {
    return Arbitraries.lazyOf(
      () -> Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
      () -> Arbitraries.integers().map(i -> (Object) i),
      () -> Arbitraries.doubles().map(d -> (Object) d),
      () -> Arbitraries.of(true, false).map(b -> (Object) b),
      () -> Arbitraries.just((Object) null),
      () -> jsonValues().list().ofMaxSize(4).map(l -> (Object) new JsonArray(l)),
      () -> Combinators.combine(Arbitraries.of("model", "messages", "stream", "max_tokens", "openfusion", "role", "content", "x"),
        jsonValues()).as((k, v) -> (Object) new JsonObject().put(k, v)).list().ofMaxSize(4)
        .map(list -> {
          JsonObject merged = new JsonObject();
          list.forEach(o -> merged.mergeIn((JsonObject) o));
          return (Object) merged;
        }));
  }

  @Provide
  Arbitrary<JsonObject> chatBodies() {
    Arbitrary<Object> anyValue = jsonValues();
    Arbitrary<Object> message = Combinators.combine(Arbitraries.of("user", "system", "assistant", "tool", ""), anyValue)
      .as((role, content) -> new JsonObject().put("role", role).put("content", content));
    List<String> fields = List.of("stream", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "seed",
      "tools", "tool_choice", "response_format", "stream_options", "openfusion", "logit_bias", "user", "models", "plugins");
    return Combinators.combine(
        Arbitraries.of("openfusion", "gpt-x", ""),
        Arbitraries.oneOf(message, anyValue).list().ofMaxSize(3),
        Arbitraries.of(fields).list().ofMaxSize(4),
        anyValue.list().ofSize(4))
      .as((model, messages, keys, values) -> {
        JsonObject body = new JsonObject().put("model", model).put("messages", new JsonArray(messages));
        for (int i = 0; i < keys.size(); i++) {
          body.put(keys.get(i), values.get(i));
        }
        return body;
      });
  }
}
