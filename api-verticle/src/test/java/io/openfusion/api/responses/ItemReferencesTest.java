package io.openfusion.api.responses;

import io.openfusion.api.wire.ChatStreams;
import io.openfusion.shared.config.ResponsesConfig;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code item_reference} inputs, as the Vercel AI SDK sends an earlier assistant message of a stored response: the
 * reference becomes the stored item, for its caller only; anything else is an error that says what to send.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ItemReferencesTest {

  private final Vertx vertx = Vertx.vertx();
  private final ResponseStore store = new ResponseStore(vertx, ResponsesConfig.defaults());

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static ResponseShell shell() {
    return new ResponseShell(ResponsesRequest.parse(new JsonObject().put("model", "openfusion").put("input", "Hi"), true));
  }

  /** A buffered answer with text and one tool call, stored for {@code caller}. */
  private JsonObject storedAnswer(String caller) {
    JsonObject completion = new JsonObject().put("model", "openfusion").put("choices", new JsonArray().add(new JsonObject()
      .put("index", 0).put("finish_reason", "tool_calls").put("message", new JsonObject().put("role", "assistant")
        .put("content", "Let me look.").put("tool_calls", new JsonArray().add(new JsonObject().put("id", "call_1")
          .put("type", "function").put("function", new JsonObject().put("name", "weather").put("arguments", "{}")))))));
    JsonObject response = ResponseOutput.toResponse(shell(), completion);
    assertThat(await(store.put(caller, response, new JsonArray()))).isTrue();
    return response;
  }

  private static <T> T await(Future<T> future) {
    return future.await();
  }

  private static JsonObject body(JsonObject... items) {
    JsonArray input = new JsonArray();
    for (JsonObject item : items) {
      input.add(item);
    }
    return new JsonObject().put("model", "openfusion").put("input", input);
  }

  private static JsonObject reference(String id) {
    return new JsonObject().put("type", "item_reference").put("id", id);
  }

  private static JsonObject user(String text) {
    return new JsonObject().put("role", "user").put("content", text);
  }

  private static ApiError failure(JsonObject body, String caller, ResponseStore from) {
    Future<JsonObject> resolved = ItemReferences.resolve(body, caller, from);
    return catchThrowableOfType(ApiError.class, () -> await(resolved));
  }

  @Test
  void everyOutputItemIdLeadsBackToItsResponse() {
    ResponseShell shell = shell();
    JsonObject buffered = ResponseOutput.toResponse(shell, new JsonObject().put("choices", new JsonArray()
      .add(new JsonObject().put("message", new JsonObject().put("content", "Paris.")))));
    List<String> streamedIds = new ArrayList<>();
    ResponsesStream stream = new ResponsesStream(shell, response -> response.getJsonArray("output")
      .forEach(item -> streamedIds.add(((JsonObject) item).getString("id"))));
    ChatStreams.whole(stream, ChatStreams.fused("Paris."));

    String bufferedId = buffered.getJsonArray("output").getJsonObject(0).getString("id");
    assertThat(bufferedId).startsWith("msg_");
    assertThat(ItemReferences.responseIdOf(bufferedId)).isEqualTo(shell.id());
    assertThat(streamedIds).hasSize(1).allSatisfy(id -> assertThat(ItemReferences.responseIdOf(id)).isEqualTo(shell.id()));
    // two items of one response never share an id
    assertThat(streamedIds).doesNotContain(bufferedId);
    assertThat(ItemReferences.responseIdOf("msg_0123")).isNull();
    assertThat(ItemReferences.responseIdOf("rs_" + shell.id().substring(5) + "0000")).isNull();
  }

  @Test
  void aReferenceBecomesTheStoredItemInPlace() {
    JsonObject response = storedAnswer("key-a");
    JsonObject message = response.getJsonArray("output").getJsonObject(0);
    JsonObject call = response.getJsonArray("output").getJsonObject(1);

    JsonObject resolved = await(ItemReferences.resolve(body(user("Weather?"), reference(message.getString("id")),
      reference(call.getString("id")), user("Thanks. And tomorrow?")), "key-a", store));

    JsonArray input = resolved.getJsonArray("input");
    assertThat(input).hasSize(4);
    assertThat(input.getJsonObject(1)).isEqualTo(message);
    assertThat(input.getJsonObject(2)).isEqualTo(call);
    assertThat(input.getJsonObject(3).getString("content")).isEqualTo("Thanks. And tomorrow?");
    assertThat(resolved.getString("model")).isEqualTo("openfusion");
    // and the chat body the request becomes holds the assistant turn itself
    JsonArray messages = ResponsesRequest.parse(resolved, true).chatBody(new JsonArray()).getJsonArray("messages");
    assertThat(messages.getJsonObject(1).getString("role")).isEqualTo("assistant");
    assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("Let me look.");
    assertThat(messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_1");
  }

  @Test
  void aBodyWithoutReferencesIsLeftAsItIs() {
    JsonObject body = body(user("Hi"));

    assertThat(await(ItemReferences.resolve(body, "key-a", store))).isSameAs(body);
    JsonObject text = new JsonObject().put("model", "openfusion").put("input", "Hi");
    assertThat(await(ItemReferences.resolve(text, "key-a", store))).isSameAs(text);
  }

  @Test
  void anotherCallersUnknownOrMalformedReferenceIsAnError() {
    JsonObject response = storedAnswer("key-a");
    String id = response.getJsonArray("output").getJsonObject(0).getString("id");

    ApiError someoneElse = failure(body(reference(id)), "key-b", store);
    assertThat(someoneElse.status()).isEqualTo(404);
    assertThat(someoneElse.code()).isEqualTo("not_found");
    assertThat(someoneElse.getMessage()).contains(id).contains("send the item itself");

    String unknownItemOfAStoredResponse = id.substring(0, id.length() - 4) + "00ff";
    assertThat(failure(body(reference(unknownItemOfAStoredResponse)), "key-a", store).status()).isEqualTo(404);
    assertThat(failure(body(reference("msg_from_elsewhere")), "key-a", store).status()).isEqualTo(404);
    ApiError noId = failure(body(new JsonObject().put("type", "item_reference")), "key-a", store);
    assertThat(noId.status()).isEqualTo(400);
    assertThat(noId.getMessage()).contains("input[0].id");
  }

  @Test
  void withoutStoredResponsesAReferenceIsUnsupported() {
    ResponseStore off = new ResponseStore(vertx, new ResponsesConfig(60, 0, 1024));

    ApiError error = failure(body(reference("msg_x")), "key-a", off);

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.code()).isEqualTo("unsupported_parameter");
    assertThat(error.getMessage()).contains("store: false");
  }
}
