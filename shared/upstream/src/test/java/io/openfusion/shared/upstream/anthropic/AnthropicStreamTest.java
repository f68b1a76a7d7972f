package io.openfusion.shared.upstream.anthropic;

import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicStreamTest {

  private static final long CREATED = 1700000000L;

  private static List<JsonObject> run(AnthropicStream stream, JsonObject... events) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject e : events) {
      out.addAll(stream.translate(e));
    }
    return out;
  }

  private static JsonObject delta(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
  }

  @Test
  void textStreamBecomesFullChunksWithRoleOnTheFirst() {
    AnthropicStream stream = new AnthropicStream(CREATED);
    List<JsonObject> chunks = run(stream, messageStart("msg_1", 25), ping(), textStart(0), textDelta(0, "Hel"),
        textDelta(0, "lo"), blockStop(0));
    assertThat(stream.finished()).isFalse();
    List<JsonObject> end = run(stream, messageDelta("end_turn", 9), messageStop());
    assertThat(stream.finished()).isTrue();

    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0)).isEqualTo(new JsonObject()
        .put("id", "msg_1").put("object", "chat.completion.chunk").put("created", CREATED).put("model", "claude-x")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("delta", new JsonObject().put("role", "assistant").put("content", "Hel"))
            .putNull("finish_reason"))));
    assertThat(delta(chunks.get(1))).isEqualTo(new JsonObject().put("content", "lo"));

    assertThat(end).hasSize(2);
    assertThat(end.get(0).getJsonArray("choices").getJsonObject(0))
        .isEqualTo(new JsonObject().put("index", 0).put("delta", new JsonObject()).put("finish_reason", "stop"));
    assertThat(end.get(0).getString("id")).isEqualTo("msg_1");
  }

  @Test
  void usageCombinesPromptTokensFromStartWithCompletionTokensFromDelta() {
    AnthropicStream stream = new AnthropicStream(CREATED);
    List<JsonObject> chunks = run(stream, messageStart("msg_1", 25), textStart(0), textDelta(0, "x"),
        messageDelta("max_tokens", 9), messageStop());
    JsonObject usageChunk = chunks.get(chunks.size() - 1);
    JsonObject usage = new JsonObject().put("prompt_tokens", 25).put("completion_tokens", 9).put("total_tokens", 34);
    assertThat(usageChunk).isEqualTo(new JsonObject()
        .put("id", "msg_1").put("object", "chat.completion.chunk").put("created", CREATED).put("model", "claude-x")
        .put("choices", new JsonArray()).put("usage", usage));
    assertThat(stream.usage()).isEqualTo(usage);
    assertThat(chunks.get(chunks.size() - 2).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("length");
  }

  @Test
  void toolUseStreamsAsToolCallDeltas() {
    AnthropicStream stream = new AnthropicStream(CREATED);
    List<JsonObject> chunks = run(stream, messageStart("msg_2", 10),
        textStart(0), textDelta(0, "Checking."), blockStop(0),
        toolStart(1, "toolu_a", "weather"), jsonDelta(1, "{\"city\":"), jsonDelta(1, "\"Paris\"}"), blockStop(1),
        toolStart(2, "toolu_b", "time"), jsonDelta(2, "{}"), blockStop(2),
        messageDelta("tool_use", 40), messageStop());

    assertThat(delta(chunks.get(0))).isEqualTo(new JsonObject().put("role", "assistant").put("content", "Checking."));
    assertThat(delta(chunks.get(1))).isEqualTo(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
        .put("index", 0).put("id", "toolu_a").put("type", "function")
        .put("function", new JsonObject().put("name", "weather").put("arguments", "")))));
    assertThat(delta(chunks.get(2))).isEqualTo(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
        .put("index", 0).put("function", new JsonObject().put("arguments", "{\"city\":")))));
    assertThat(delta(chunks.get(3)).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
        .getString("arguments")).isEqualTo("\"Paris\"}");
    assertThat(delta(chunks.get(4)).getJsonArray("tool_calls").getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(delta(chunks.get(4)).getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("toolu_b");
    assertThat(delta(chunks.get(5)).getJsonArray("tool_calls").getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(chunks.get(6).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("tool_calls");
    assertThat(chunks).hasSize(8);
  }

  @Test
  void roleGoesOnAToolCallFirstChunkToo() {
    List<JsonObject> chunks = run(new AnthropicStream(CREATED), messageStart("m", 1), toolStart(0, "t", "f"));
    assertThat(delta(chunks.get(0)).getString("role")).isEqualTo("assistant");
  }

  @Test
  void thinkingBecomesReasoningContentNeverContentAndCountsAsGenerating() {
    AnthropicStream stream = new AnthropicStream(CREATED);
    assertThat(run(stream, messageStart("m", 1), ping())).isEmpty();
    assertThat(stream.generating()).isFalse();
    JsonObject thinkingStart = new JsonObject().put("type", "content_block_start").put("index", 0)
        .put("content_block", new JsonObject().put("type", "thinking").put("thinking", ""));
    JsonObject signature = new JsonObject().put("type", "content_block_delta").put("index", 0)
        .put("delta", new JsonObject().put("type", "signature_delta").put("signature", "EqQBCgIYAhIM"));
    List<JsonObject> chunks = run(stream, thinkingStart, thinkingDelta(0, "hmm"), signature, blockStop(0));
    assertThat(stream.generating()).isTrue();
    assertThat(chunks).hasSize(1);
    JsonObject delta = chunks.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    assertThat(delta).isEqualTo(new JsonObject().put("role", "assistant").put("reasoning_content", "hmm"));
  }

  @Test
  void errorEventsMapToTheHttpStatusOfTheirType() {
    UpstreamException overloaded = errorOf("overloaded_error", "Overloaded");
    assertThat(overloaded.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(overloaded.status()).isEqualTo(529);
    assertThat(overloaded.getMessage()).isEqualTo("Upstream error (529): Overloaded");

    UpstreamException limited = errorOf("rate_limit_error", "Too many");
    assertThat(limited.isRateLimited()).isTrue();
    assertThat(limited.getMessage()).isEqualTo("Upstream error (429): Too many");

    assertThat(errorOf("api_error", "boom").status()).isEqualTo(500);

    UpstreamException unknown = errorOf("brand_new_error", "odd");
    assertThat(unknown.kind()).isEqualTo(Kind.PROVIDER_ERROR);
    assertThat(unknown.getMessage()).isEqualTo("Upstream reported an error in its stream: odd");
  }

  private static UpstreamException errorOf(String type, String message) {
    AnthropicStream stream = new AnthropicStream(CREATED);
    stream.translate(messageStart("m", 1));
    try {
      stream.translate(error(type, message));
    } catch (UpstreamException e) {
      return e;
    }
    throw new AssertionError("no exception for " + type);
  }

  @Test
  void unknownAndMalformedEventsYieldNothing() {
    AnthropicStream stream = new AnthropicStream(CREATED);
    assertThat(stream.translate(new JsonObject())).isEmpty();
    assertThat(stream.translate(new JsonObject().put("type", "future_event"))).isEmpty();
    assertThat(stream.translate(new JsonObject().put("type", "content_block_delta"))).isEmpty();
    assertThat(stream.translate(jsonDelta(7, "{}"))).as("no tool block 7 was started").isEmpty();
    assertThatThrownBy(() -> stream.translate(new JsonObject().put("type", "error")))
        .isInstanceOf(UpstreamException.class);
  }

  @Test
  void chunksWithoutMessageStartStillHaveAnId() {
    List<JsonObject> chunks = run(new AnthropicStream(CREATED), textDelta(0, "x"));
    assertThat(chunks.get(0).getString("id")).startsWith("chatcmpl-");
    assertThat(chunks.get(0).getString("model")).isEmpty();
  }
}
