package io.openfusion.api.responses;

import io.openfusion.api.wire.ChatStreams;
import io.openfusion.api.wire.ChatStreams.Event;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.openfusion.api.wire.ChatStreams.comment;
import static io.openfusion.api.wire.ChatStreams.content;
import static io.openfusion.api.wire.ChatStreams.done;
import static io.openfusion.api.wire.ChatStreams.error;
import static io.openfusion.api.wire.ChatStreams.finish;
import static io.openfusion.api.wire.ChatStreams.toolCall;
import static io.openfusion.api.wire.ChatStreams.usage;
import static org.assertj.core.api.Assertions.assertThat;

class ResponsesStreamTest {

  private final ResponseShell shell = new ResponseShell(ResponsesRequest.parse(new JsonObject().put("model", "openfusion")
    .put("input", "Capital of France?").put("stream", true).put("metadata", new JsonObject().put("k", "v")), true));
  private final List<JsonObject> completed = new ArrayList<>();

  private ResponsesStream translator() {
    return new ResponsesStream(shell, completed::add);
  }

  private static List<String> types(List<Event> events) {
    return events.stream().map(Event::name).toList();
  }

  @Test
  void aFusedStreamBecomesTheTypedEventsInOrder() {
    ResponsesStream translator = translator();

    List<Event> events = ChatStreams.events(ChatStreams.whole(translator, ChatStreams.fused("The capital ", "is Paris.")));

    assertThat(types(events)).containsExactly("response.created", "response.in_progress", "response.output_item.added",
      "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
      "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).data().getString("type")).isEqualTo(events.get(i).name());
      assertThat(events.get(i).data().getInteger("sequence_number")).isEqualTo(i);
    }
    assertThat(events.get(0).data().getJsonObject("response").getString("status")).isEqualTo("in_progress");
    assertThat(events.get(0).data().getJsonObject("response").getString("id")).isEqualTo(shell.id());
    assertThat(events.get(4).data().getString("delta")).isEqualTo("The capital ");
    assertThat(events.get(6).data().getString("text")).isEqualTo("The capital is Paris.");
    JsonObject response = events.get(9).data().getJsonObject("response");
    assertThat(response.getString("status")).isEqualTo("completed");
    assertThat(response.getString("output_text")).isEqualTo("The capital is Paris.");
    assertThat(response.getJsonArray("output")).hasSize(1);
    assertThat(response.getJsonObject("metadata")).isEqualTo(new JsonObject().put("k", "v"));
    JsonObject usage = response.getJsonObject("usage");
    assertThat(usage.getLong("input_tokens")).isEqualTo(30);
    assertThat(usage.getLong("output_tokens")).isEqualTo(7);
    assertThat(usage.getLong("total_tokens")).isEqualTo(37);
    assertThat(usage.getJsonObject("input_tokens_details").getLong("cached_tokens")).isZero();
    // progress is gone; usage with cost, the usage report and the panel's answers travel in the final object
    JsonObject extras = response.getJsonObject("openfusion");
    assertThat(extras.getJsonObject("usage").getDouble("cost")).isEqualTo(0.25);
    assertThat(extras.getJsonObject("usage_report").containsKey("total")).isTrue();
    assertThat(extras.getJsonArray("panel_answers")).hasSize(1);
    assertThat(translator.ended()).isTrue();
    assertThat(completed).containsExactly(response);
  }

  @Test
  void theSameEventsWhereverTheChatStreamIsCut() {
    ChatStreams.sameAtEverySplit(this::translator, ChatStreams.fused("Grüße ", "🌍 aus Paris."));
    String tools = content("Let me check.") + toolCall(0, "call_1", "weather", "{\"city\":")
      + toolCall(0, null, null, "\"Paris\"}") + toolCall(1, "call_2", "time", "{}") + finish("tool_calls") + usage(5, 9)
      + done();
    ChatStreams.sameAtEverySplit(this::translator, tools);
  }

  @Test
  void toolCallsBecomeFunctionCallItemsWithArgumentEvents() {
    String chat = content("Let me check.") + toolCall(0, "call_1", "weather", "{\"city\":")
      + toolCall(0, null, null, "\"Paris\"}") + toolCall(1, "call_2", "time", "{}") + finish("tool_calls")
      + usage(5, 9) + done();

    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), chat));

    assertThat(types(events)).containsExactly("response.created", "response.in_progress",
      "response.output_item.added", "response.content_part.added", "response.output_text.delta",
      "response.output_text.done", "response.content_part.done", "response.output_item.done",
      "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
      "response.function_call_arguments.done", "response.output_item.done",
      "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
      "response.output_item.done", "response.completed");
    JsonObject firstCall = events.get(8).data();
    assertThat(firstCall.getInteger("output_index")).isEqualTo(1);
    assertThat(firstCall.getJsonObject("item").getString("type")).isEqualTo("function_call");
    assertThat(firstCall.getJsonObject("item").getString("call_id")).isEqualTo("call_1");
    assertThat(firstCall.getJsonObject("item").getString("name")).isEqualTo("weather");
    assertThat(events.get(11).data().getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(events.get(11).data().getString("item_id")).isEqualTo(firstCall.getJsonObject("item").getString("id"));
    JsonObject response = events.get(17).data().getJsonObject("response");
    assertThat(response.getJsonArray("output")).hasSize(3);
    assertThat(response.getJsonArray("output").getJsonObject(2).getString("arguments")).isEqualTo("{}");
    assertThat(response.getJsonArray("output").getJsonObject(2).getString("status")).isEqualTo("completed");
  }

  @Test
  void aCallWhoseNameComesLateStillOpensWithItsArguments() {
    String chat = toolCall(0, "call_1", null, "{\"a\"") + toolCall(0, null, "lookup", ":1}") + finish("tool_calls") + done();

    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), chat));

    JsonObject response = events.get(events.size() - 1).data().getJsonObject("response");
    JsonObject call = response.getJsonArray("output").getJsonObject(0);
    assertThat(call.getString("name")).isEqualTo("lookup");
    assertThat(call.getString("arguments")).isEqualTo("{\"a\":1}");
  }

  @Test
  void aStreamCutByTheTokenLimitIsIncomplete() {
    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), content("Once upon") + finish("length") + done()));

    Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("response.incomplete");
    assertThat(last.data().getJsonObject("response").getJsonObject("incomplete_details").getString("reason"))
      .isEqualTo("max_output_tokens");
    assertThat(events.stream().filter(e -> e.name().equals("response.output_item.done")).findFirst().orElseThrow()
      .data().getJsonObject("item").getString("status")).isEqualTo("incomplete");
    assertThat(last.data().getJsonObject("response").containsKey("usage")).isTrue();
  }

  @Test
  void aFailureAfterTheStartIsAnErrorEventThenResponseFailed() {
    ResponsesStream translator = translator();
    String chat = comment("progress {}") + content("Par") + error("judge_stream_error", "upstream_error", "Judge failed: boom")
      + done();

    List<Event> events = ChatStreams.events(ChatStreams.whole(translator, chat));

    assertThat(types(events).subList(events.size() - 2, events.size())).containsExactly("error", "response.failed");
    JsonObject error = events.get(events.size() - 2).data();
    assertThat(error.getString("code")).isEqualTo("judge_stream_error");
    assertThat(error.getString("message")).isEqualTo("Judge failed: boom");
    JsonObject failed = events.get(events.size() - 1).data().getJsonObject("response");
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getJsonObject("error").getString("code")).isEqualTo("server_error");
    assertThat(translator.ended()).isTrue();
    assertThat(completed).isEmpty();
    assertThat(translator.translate(Buffer.buffer(content("more")))).isEqualTo(Buffer.buffer());
  }

  @Test
  void keepAlivesStayCommentsAndProgressIsDropped() {
    ResponsesStream translator = translator();

    String first = translator.translate(Buffer.buffer(comment("progress {\"stage\":\"panel\"}"))).toString();
    String beat = translator.translate(Buffer.buffer(comment("keep-alive"))).toString();

    assertThat(ChatStreams.events(first)).extracting(Event::name).containsExactly("response.created", "response.in_progress");
    assertThat(first).doesNotContain("stage").doesNotContain("panel");
    assertThat(beat).isEqualTo(": keep-alive\n\n");
  }

  @Test
  void anEmptyAnswerIsStillOneMessage() {
    List<Event> events = ChatStreams.events(ChatStreams.whole(translator(), finish("stop") + done()));

    JsonObject response = events.get(events.size() - 1).data().getJsonObject("response");
    assertThat(response.getJsonArray("output")).hasSize(1);
    assertThat(response.getString("output_text")).isEmpty();
  }

  @Test
  void errorsBeforeTheFirstByteAreOpenAiErrors() {
    ApiError error = ApiError.of(ErrorCode.BUDGET_EXCEEDED, "over budget");

    assertThat(translator().errorBody(error)).isEqualTo(error.toJson());
  }
}
