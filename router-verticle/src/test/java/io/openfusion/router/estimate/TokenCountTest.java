package io.openfusion.router.estimate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCountTest {

  @Test
  void countsStringContentAndTextParts() {
    JsonArray messages = new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", "x".repeat(40)))
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "y".repeat(20)))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:" + "z".repeat(999))))
        .add("stray")))
      .add("not a message")
      .add(new JsonObject().put("role", "assistant").put("content", 7));

    assertThat(TokenCount.input(messages)).isEqualTo(15);
  }

  @Test
  void isAtLeastOneForAListAndZeroForAnythingElse() {
    assertThat(TokenCount.input(new JsonArray())).isEqualTo(1);
    assertThat(TokenCount.input(new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))).isEqualTo(1);
    assertThat(TokenCount.input("hello")).isZero();
    assertThat(TokenCount.input(null)).isZero();
  }

  @Test
  void countsCodePoints() {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", "\uD83D\uDE00".repeat(8)));
    assertThat(TokenCount.input(messages)).isEqualTo(2);
  }
}
