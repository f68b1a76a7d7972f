package io.openfusion.autorouter;

import static io.openfusion.autorouter.RouterConfigs.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.openfusion.autorouter.ClassifierReply.Kind;
import io.openfusion.autorouter.ClassifierReply.Verdict;
import io.openfusion.shared.config.RouteModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierReplyTest {

  private static final List<RouteModel> MODELS = List.of(
    route("openai/gpt-4o", "strong"), route("openai/gpt-4o-mini", "fast"), route("Claude-3.5-Haiku", "balanced"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      FUSE                 | FUSE
      fuse.                | FUSE
      '  Solo  '           | SOLO
      SOLO, not FUSE       | FUSE
      I refuse             | UNRECOGNISED
      consolidate          | UNRECOGNISED
      maybe                | UNRECOGNISED
      ''                   | UNRECOGNISED
      """)
  void fuseOrSolo(String reply, Kind expected) {
    assertThat(ClassifierReply.fuseOrSolo(reply).kind()).isEqualTo(expected);
  }

  @Test
  void nullReplyIsUnrecognised() {
    assertThat(ClassifierReply.fuseOrSolo(null)).isEqualTo(Verdict.unrecognised());
    assertThat(ClassifierReply.modelPick(null, MODELS)).isEqualTo(Verdict.unrecognised());
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(delimiter = '|', textBlock = """
      openai/gpt-4o                        | MODEL        | 0
      openai/gpt-4o-mini                   | MODEL        | 1
      '`openai/gpt-4o-mini`.'              | MODEL        | 1
      '"OPENAI/GPT-4O-MINI"'               | MODEL        | 1
      claude-3.5-haiku                     | MODEL        | 2
      Use openai/gpt-4o-mini for this.     | MODEL        | 1
      Use openai/gpt-4o.                   | MODEL        | 0
      FUSE                                 | FUSE         | -1
      Fuse, not openai/gpt-4o              | FUSE         | -1
      SOLO                                 | SOLO         | -1
      gpt-4o                               | UNRECOGNISED | -1
      openai/gpt-4o-maxi                   | UNRECOGNISED | -1
      no idea                              | UNRECOGNISED | -1
      """)
  void modelPick(String reply, Kind kind, int index) {
    assertThat(ClassifierReply.modelPick(reply, MODELS)).isEqualTo(new Verdict(kind, index));
  }

  @Test
  void contentIsTheFirstChoicesText() {
    JsonObject completion = new JsonObject().put("choices", new JsonArray()
      .add(new JsonObject().put("message", new JsonObject().put("role", "assistant").put("content", "FUSE"))));
    assertThat(ClassifierReply.content(completion)).isEqualTo("FUSE");
    JsonObject parts = new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("message",
      new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "SOLO"))))));
    assertThat(ClassifierReply.content(parts)).isEqualTo("SOLO");
  }

  @Test
  void missingContentIsNull() {
    assertThat(ClassifierReply.content(new JsonObject())).isNull();
    assertThat(ClassifierReply.content(new JsonObject().put("choices", new JsonArray()))).isNull();
    assertThat(ClassifierReply.content(new JsonObject().put("choices", new JsonArray().add("x")))).isNull();
    assertThat(ClassifierReply.content(new JsonObject().put("choices", new JsonArray()
      .add(new JsonObject().put("message", new JsonObject().putNull("content")))))).isNull();
  }

  @Test
  void promptsListTheModelsAndBodyIsDeterministic() {
    String prompt = ClassifierPrompts.modelPick(MODELS);
    assertThat(prompt).contains("- openai/gpt-4o (strong)\n", "- openai/gpt-4o-mini (fast)\n", "FUSE");
    JsonObject body = ClassifierPrompts.body("c", ClassifierPrompts.FUSE_OR_SOLO, "x".repeat(5000), 4);
    assertThat(body.getString("model")).isEqualTo("c");
    assertThat(body.getInteger("temperature")).isZero();
    assertThat(body.getInteger("max_tokens")).isEqualTo(4);
    assertThat(body.getBoolean("stream")).isFalse();
    JsonArray messages = body.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(messages.getJsonObject(1).getString("content")).hasSize(4000);
  }

  @Test
  void truncationKeepsSurrogatePairsWhole() {
    String text = "\uD83D\uDE00".repeat(4001);
    String cut = PromptText.truncate(text, 4000);
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(4000);
    assertThat(cut).hasSize(8000);
  }
}
