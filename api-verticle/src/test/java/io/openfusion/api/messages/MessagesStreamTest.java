package io.openfusion.api.messages;

import io.openfusion.api.wire.ChatStreams;
import io.openfusion.api.wire.ChatStreams.Event;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.openfusion.api.wire.ChatStreams.chunk;
import static io.openfusion.api.wire.ChatStreams.comment;
import static io.openfusion.api.wire.ChatStreams.content;
import static io.openfusion.api.wire.ChatStreams.done;
import static io.openfusion.api.wire.ChatStreams.error;
import static io.openfusion.api.wire.ChatStreams.finish;
import static io.openfusion.api.wire.ChatStreams.toolCall;
import static io.openfusion.api.wire.ChatStreams.usage;
import static org.assertj.core.api.Assertions.assertThat;

class MessagesStreamTest {

  private static MessagesStream translator() {
    return new MessagesStream("msg_1", "openfusion", new JsonArray().add("END"));
  }

  private static List<String> types(List<Event> events) {
    return events.stream().map(Event::name).toList();
  }

  @Test
  void aFusedStreamBecomesMessagesEvents() {
    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), ChatStreams.fused("The capital ", "is Paris.")));

    assertThat(types(events)).containsExactly("message_start", "content_block_start", "content_block_delta",
      "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    events.forEach(e -> assertThat(e.data().getString("type")).isEqualTo(e.name()));
    JsonObject message = events.get(0).data().getJsonObject("message");
    assertThat(message.getString("id")).isEqualTo("msg_1");
    assertThat(message.getString("model")).isEqualTo("openfusion");
    assertThat(message.getJsonArray("content")).isEmpty();
    assertThat(events.get(1).data().getJsonObject("content_block")).isEqualTo(new JsonObject().put("type", "text").put("text", ""));
    assertThat(events.get(2).data().getJsonObject("delta"))
      .isEqualTo(new JsonObject().put("type", "text_delta").put("text", "The capital "));
    JsonObject delta = events.get(5).data();
    assertThat(delta.getJsonObject("delta").getString("stop_reason")).isEqualTo("end_turn");
    assertThat(delta.getJsonObject("delta").getValue("stop_sequence")).isNull();
    assertThat(delta.getJsonObject("usage").getLong("input_tokens")).isEqualTo(30);
    assertThat(delta.getJsonObject("usage").getLong("output_tokens")).isEqualTo(7);
    assertThat(delta.getJsonObject("openfusion").getJsonObject("usage").getDouble("cost")).isEqualTo(0.25);
    assertThat(delta.getJsonObject("openfusion").getJsonArray("panel_answers")).hasSize(1);
  }

  @Test
  void theSameEventsWhereverTheChatStreamIsCut() {
    ChatStreams.sameAtEverySplit(MessagesStreamTest::translator, ChatStreams.fused("Grüße ", "🌍 aus Paris."));
    ChatStreams.sameAtEverySplit(MessagesStreamTest::translator, content("Checking.") + toolCall(0, "call_1", "weather",
      "{\"city\":") + toolCall(0, null, null, "\"Paris\"}") + finish("tool_calls") + usage(5, 9) + done());
  }

  @Test
  void toolCallsBecomeToolUseBlocksWithInputJsonDeltas() {
    String chat = content("Checking.") + toolCall(0, "call_1", "weather", "{\"city\":")
      + toolCall(0, null, null, "\"Paris\"}") + toolCall(1, "call_2", "time", "") + finish("tool_calls") + usage(5, 9) + done();

    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), chat));

    assertThat(types(events)).containsExactly("message_start",
      "content_block_start", "content_block_delta", "content_block_stop",
      "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
      "content_block_start", "content_block_stop",
      "message_delta", "message_stop");
    assertThat(events.get(4).data().getInteger("index")).isEqualTo(1);
    assertThat(events.get(4).data().getJsonObject("content_block")).isEqualTo(new JsonObject().put("type", "tool_use")
      .put("id", "call_1").put("name", "weather").put("input", new JsonObject()));
    assertThat(events.get(5).data().getJsonObject("delta"))
      .isEqualTo(new JsonObject().put("type", "input_json_delta").put("partial_json", "{\"city\":"));
    assertThat(events.get(8).data().getInteger("index")).isEqualTo(2);
    assertThat(events.get(10).data().getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
  }

  @Test
  void stopReasonsFollowTheFinishReason() {
    assertThat(stopReason(content("a") + finish("length") + done())).isEqualTo("max_tokens");
    assertThat(stopReason(content("a") + finish("content_filter") + done())).isEqualTo("refusal");
    // a server that names the stop sequence it matched (vLLM) lets it be reported
    String named = content("a") + chunk(new JsonObject(), "stop").replace("\"finish_reason\":\"stop\"",
      "\"finish_reason\":\"stop\",\"stop_reason\":\"END\"") + done();
    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), named));
    JsonObject delta = events.get(events.size() - 2).data().getJsonObject("delta");
    assertThat(delta.getString("stop_reason")).isEqualTo("stop_sequence");
    assertThat(delta.getString("stop_sequence")).isEqualTo("END");
  }

  private static String stopReason(String chat) {
    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), chat));
    return events.get(events.size() - 2).data().getJsonObject("delta").getString("stop_reason");
  }

  @Test
  void keepAlivesBecomePingsAndProgressIsDropped() {
    MessagesStream translator = translator();

    List<Event> first = ChatStreams.events(translator.translate(Buffer.buffer(comment("progress {\"stage\":\"panel\"}"))).toString());
    List<Event> beat = ChatStreams.events(translator.translate(Buffer.buffer(comment("keep-alive"))).toString());

    assertThat(types(first)).containsExactly("message_start");
    assertThat(beat).containsExactly(new Event("ping", new JsonObject().put("type", "ping")));
  }

  @Test
  void aFailureAfterTheStartIsAnErrorEvent() {
    MessagesStream translator = translator();
    String chat = content("Par") + error("budget_exceeded", "insufficient_quota", "over budget") + done();

    List<Event> events = ChatStreams.events(ChatStreams.whole(translator, chat));

    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.data()).isEqualTo(new JsonObject().put("type", "error")
      .put("error", new JsonObject().put("type", "rate_limit_error").put("message", "over budget")));
    assertThat(types(events)).doesNotContain("message_stop");
    assertThat(translator.ended()).isTrue();
  }

  @Test
  void errorsBeforeTheFirstByteAreAnthropicErrors() {
    assertThat(translator().errorBody(ApiError.of(ErrorCode.UPSTREAM_ERROR, "upstream down"))).isEqualTo(new JsonObject()
      .put("type", "error").put("error", new JsonObject().put("type", "api_error").put("message", "upstream down")));
    assertThat(MessagesErrors.body(ApiError.of(ErrorCode.INVALID_API_KEY, "no")).getJsonObject("error").getString("type"))
      .isEqualTo("authentication_error");
    assertThat(MessagesErrors.type(413)).isEqualTo("request_too_large");
    assertThat(MessagesErrors.type(429)).isEqualTo("rate_limit_error");
    assertThat(MessagesErrors.type(503)).isEqualTo("overloaded_error");
    assertThat(MessagesErrors.type(404)).isEqualTo("not_found_error");
    assertThat(MessagesErrors.type(403)).isEqualTo("permission_error");
    assertThat(MessagesErrors.type(400)).isEqualTo("invalid_request_error");
  }
}
