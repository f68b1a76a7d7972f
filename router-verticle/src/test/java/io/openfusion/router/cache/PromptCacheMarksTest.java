package io.openfusion.router.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromptCacheMarksTest {

  private static final JsonObject EPHEMERAL = new JsonObject().put("type", "ephemeral");

  private static JsonObject message(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject body(JsonObject... messages) {
    JsonArray list = new JsonArray();
    for (JsonObject m : messages) {
      list.add(m);
    }
    return new JsonObject().put("model", "openfusion").put("messages", list);
  }

  private static JsonObject marked(String text) {
    return new JsonObject().put("type", "text").put("text", text).put("cache_control", EPHEMERAL);
  }

  @Test
  void marksTheLastSystemMessage() {
    JsonObject body = body(message("system", "first"), message("user", "q"), message("system", "second"));

    JsonArray out = PromptCacheMarks.apply(body).getJsonArray("messages");

    assertThat(out.getJsonObject(0).getValue("content")).isEqualTo("first");
    assertThat(out.getJsonObject(1).getValue("content")).isEqualTo("q");
    assertThat(out.getJsonObject(2).getValue("content")).isEqualTo(new JsonArray().add(marked("second")));
  }

  @Test
  void marksTheFirstUserMessageWithoutASystemMessage() {
    JsonObject body = body(message("user", "one"), message("assistant", "a"), message("user", "two"));

    JsonArray out = PromptCacheMarks.apply(body).getJsonArray("messages");

    assertThat(out.getJsonObject(0).getValue("content")).isEqualTo(new JsonArray().add(marked("one")));
    assertThat(out.getJsonObject(1).getValue("content")).isEqualTo("a");
    assertThat(out.getJsonObject(2).getValue("content")).isEqualTo("two");
  }

  @Test
  void marksTheLastObjectBlockOfListContent() {
    JsonArray parts = new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "look"))
      .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:x")))
      .add("stray string");
    JsonObject body = body(message("user", parts));

    JsonArray out = PromptCacheMarks.apply(body).getJsonArray("messages").getJsonObject(0).getJsonArray("content");

    assertThat(out.getJsonObject(0).containsKey("cache_control")).isFalse();
    assertThat(out.getJsonObject(1).getJsonObject("cache_control")).isEqualTo(EPHEMERAL);
    assertThat(out.getValue(2)).isEqualTo("stray string");
  }

  @Test
  void keepsAnExistingCacheControl() {
    JsonObject own = new JsonObject().put("type", "ephemeral").put("ttl", "1h");
    JsonArray parts = new JsonArray().add(new JsonObject().put("type", "text").put("text", "t").put("cache_control", own));

    JsonObject out = PromptCacheMarks.apply(body(message("system", parts)));

    assertThat(out.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0)
      .getJsonObject("cache_control")).isEqualTo(own);
  }

  @Test
  void isANoOpWithoutATarget() {
    JsonObject onlyAssistant = body(message("assistant", "hi"));
    JsonObject noMessages = new JsonObject().put("model", "m");
    JsonObject notAList = new JsonObject().put("messages", "nope");
    JsonObject emptySystem = body(message("system", ""));

    assertThat(PromptCacheMarks.apply(onlyAssistant)).isEqualTo(onlyAssistant);
    assertThat(PromptCacheMarks.apply(noMessages)).isEqualTo(noMessages);
    assertThat(PromptCacheMarks.apply(notAList)).isEqualTo(notAList);
    assertThat(PromptCacheMarks.apply(emptySystem)).isEqualTo(emptySystem);
  }

  @Test
  void neverMutatesItsInput() {
    JsonArray parts = new JsonArray().add(new JsonObject().put("type", "text").put("text", "t"));
    JsonObject stringBody = body(message("system", "s"), message("user", "u"));
    JsonObject listBody = body(message("user", parts));
    JsonObject stringBefore = stringBody.copy();
    JsonObject listBefore = listBody.copy();

    JsonObject a = PromptCacheMarks.apply(stringBody);
    JsonObject b = PromptCacheMarks.apply(listBody);

    assertThat(stringBody).isEqualTo(stringBefore);
    assertThat(listBody).isEqualTo(listBefore);
    assertThat(a).isNotSameAs(stringBody).isNotEqualTo(stringBefore);
    assertThat(b).isNotEqualTo(listBefore);
  }
}
