package io.openfusion.api.responses;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponsesRequestTest {

  private static JsonObject request(Object input) {
    return new JsonObject().put("model", "openfusion").put("input", input);
  }

  private static JsonObject chat(JsonObject body) {
    return ResponsesRequest.parse(body, true).chatBody(new JsonArray());
  }

  private static ApiError refused(JsonObject body) {
    try {
      ResponsesRequest.parse(body, true);
    } catch (ApiError error) {
      return error;
    }
    throw new AssertionError("accepted " + body.encode());
  }

  @Test
  void aStringInputIsOneUserMessageAfterTheInstructions() {
    JsonObject chat = chat(request("Hi").put("instructions", "Be brief.").put("max_output_tokens", 50)
      .put("temperature", 0.3).put("top_p", 0.9).put("metadata", new JsonObject().put("k", "v")));

    assertThat(chat.getJsonArray("messages")).isEqualTo(new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", "Be brief."))
      .add(new JsonObject().put("role", "user").put("content", "Hi")));
    assertThat(chat.getInteger("max_tokens")).isEqualTo(50);
    assertThat(chat.getDouble("temperature")).isEqualTo(0.3);
    assertThat(chat.getDouble("top_p")).isEqualTo(0.9);
    // metadata stays with the response object
    assertThat(chat.containsKey("metadata")).isFalse();
    assertThat(chat.containsKey("stream")).isFalse();
  }

  @Test
  void aStreamAsksForUsage() {
    JsonObject chat = chat(request("Hi").put("stream", true));

    assertThat(chat.getBoolean("stream")).isTrue();
    assertThat(chat.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  void itemsBecomeChatMessagesWithImagesHistoryAndToolTurns() {
    JsonArray input = new JsonArray()
      .add(new JsonObject().put("role", "developer").put("content", "Answer in French."))
      .add(new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "input_text").put("text", "What is this?"))
        .add(new JsonObject().put("type", "input_image").put("image_url", "https://example.com/a.png").put("detail", "low"))))
      .add(new JsonObject().put("type", "message").put("role", "assistant").put("content", new JsonArray()
        .add(new JsonObject().put("type", "output_text").put("text", "A cat. ")).add(new JsonObject()
          .put("type", "output_text").put("text", "Let me look it up."))))
      .add(new JsonObject().put("type", "function_call").put("call_id", "call_1").put("name", "lookup").put("arguments", "{\"q\":\"cat\"}"))
      .add(new JsonObject().put("type", "function_call").put("call_id", "call_2").put("name", "lookup").put("arguments", "{}"))
      .add(new JsonObject().put("type", "reasoning").put("id", "rs_1"))
      .add(new JsonObject().put("type", "function_call_output").put("call_id", "call_1").put("output", "a small cat"))
      .add(new JsonObject().put("type", "function_call_output").put("call_id", "call_2").put("output", new JsonArray()
        .add(new JsonObject().put("type", "input_text").put("text", "none"))));

    JsonArray messages = chat(request(input)).getJsonArray("messages");

    assertThat(messages).hasSize(5);
    assertThat(messages.getJsonObject(0)).isEqualTo(new JsonObject().put("role", "system").put("content", "Answer in French."));
    assertThat(messages.getJsonObject(1).getJsonArray("content")).isEqualTo(new JsonArray()
      .add(new JsonObject().put("type", "text").put("text", "What is this?"))
      .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
        .put("url", "https://example.com/a.png").put("detail", "low"))));
    JsonObject assistant = messages.getJsonObject(2);
    assertThat(assistant.getString("content")).isEqualTo("A cat. Let me look it up.");
    assertThat(assistant.getJsonArray("tool_calls")).hasSize(2);
    assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0)).isEqualTo(new JsonObject().put("id", "call_1")
      .put("type", "function").put("function", new JsonObject().put("name", "lookup").put("arguments", "{\"q\":\"cat\"}")));
    assertThat(messages.getJsonObject(3)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "call_1")
      .put("content", "a small cat"));
    assertThat(messages.getJsonObject(4).getString("content")).isEqualTo("none");
  }

  @Test
  void aCallWithoutAnAssistantMessageStartsItsOwnTurn() {
    JsonArray input = new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "Weather?"))
      .add(new JsonObject().put("type", "function_call").put("call_id", "c").put("name", "weather").put("arguments", "{}"));

    JsonObject turn = chat(request(input)).getJsonArray("messages").getJsonObject(1);

    assertThat(turn.getString("role")).isEqualTo("assistant");
    assertThat(turn.containsKey("content")).isTrue();
    assertThat(turn.getValue("content")).isNull();
    assertThat(turn.getJsonArray("tool_calls")).hasSize(1);
  }

  @Test
  void functionToolsToolChoiceTextFormatAndReasoningHaveTheirChatForms() {
    JsonObject chat = chat(request("Hi")
      .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("name", "weather")
        .put("description", "Weather now").put("parameters", new JsonObject().put("type", "object")).put("strict", true)))
      .put("tool_choice", new JsonObject().put("type", "function").put("name", "weather"))
      .put("parallel_tool_calls", false)
      .put("text", new JsonObject().put("format", new JsonObject().put("type", "json_schema").put("name", "answer")
        .put("schema", new JsonObject().put("type", "object")).put("strict", true)))
      .put("reasoning", new JsonObject().put("effort", "low")));

    assertThat(chat.getJsonArray("tools").getJsonObject(0)).isEqualTo(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "weather").put("description", "Weather now")
        .put("parameters", new JsonObject().put("type", "object")).put("strict", true)));
    assertThat(chat.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "function")
      .put("function", new JsonObject().put("name", "weather")));
    assertThat(chat.getBoolean("parallel_tool_calls")).isFalse();
    assertThat(chat.getJsonObject("response_format")).isEqualTo(new JsonObject().put("type", "json_schema")
      .put("json_schema", new JsonObject().put("name", "answer").put("schema", new JsonObject().put("type", "object"))
        .put("strict", true)));
    assertThat(chat.getString("reasoning_effort")).isEqualTo("low");
    assertThat(chat(request("Hi").put("text", new JsonObject().put("format", new JsonObject().put("type", "text"))))
      .containsKey("response_format")).isFalse();
  }

  @Test
  void theHistoryOfAStoredResponseComesBetweenInstructionsAndInput() {
    ResponsesRequest request = ResponsesRequest.parse(request("And Spain?").put("instructions", "Short.")
      .put("previous_response_id", "resp_1"), true);
    JsonArray history = new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "Capital of France?"))
      .add(new JsonObject().put("role", "assistant").put("content", "Paris."));

    JsonArray messages = request.chatBody(history).getJsonArray("messages");

    assertThat(messages).extracting(m -> ((JsonObject) m).getString("content"))
      .containsExactly("Short.", "Capital of France?", "Paris.", "And Spain?");
    assertThat(request.input()).hasSize(1);
    assertThat(request.previousResponseId()).isEqualTo("resp_1");
  }

  @Test
  void builtInToolsAndPlatformFeaturesAreRefusedClearly() {
    ApiError search = refused(request("Hi").put("tools", new JsonArray().add(new JsonObject().put("type", "web_search_preview"))));
    assertThat(search.status()).isEqualTo(400);
    assertThat(search.code()).isEqualTo("unsupported_parameter");
    assertThat(search.getMessage()).contains("web_search_preview").contains("function tools");
    assertThat(refused(request("Hi").put("tools", new JsonArray().add(new JsonObject().put("type", "file_search")))).getMessage())
      .contains("file_search");
    assertThat(refused(request("Hi").put("background", true)).getMessage()).contains("background");
    assertThat(refused(request("Hi").put("tool_choice", new JsonObject().put("type", "web_search_preview"))).code())
      .isEqualTo("unsupported_parameter");
    assertThat(refused(request(new JsonArray().add(new JsonObject().put("type", "item_reference").put("id", "x"))))
      .getMessage()).contains("item_reference");
    assertThat(refused(request(new JsonArray().add(new JsonObject().put("type", "web_search_call")))).getMessage())
      .contains("input[0].type 'web_search_call'");
  }

  @Test
  void badInputNamesTheFieldToFix() {
    assertThat(refused(new JsonObject().put("input", "Hi")).code()).isEqualTo("invalid_model");
    assertThat(refused(new JsonObject().put("model", "m")).getMessage()).contains("input is required");
    assertThat(refused(request(new JsonArray())).getMessage()).contains("input has nothing");
    assertThat(refused(request(new JsonArray().add(new JsonObject().put("role", "robot").put("content", "x"))))
      .getMessage()).contains("input[0].role 'robot'");
    assertThat(refused(request(new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
      .add(new JsonObject().put("type", "input_image").put("file_id", "file-1")))))).getMessage()).contains("file_id");
    assertThat(refused(request("Hi").put("max_output_tokens", 0)).code()).isEqualTo("invalid_max_tokens");
    assertThat(refused(request("Hi").put("metadata", new JsonObject().put("n", 1))).getMessage()).contains("metadata.n");
    assertThat(refused(request("Hi").put("text", new JsonObject().put("format", new JsonObject().put("type", "json_schema"))))
      .getMessage()).contains("text.format.name");
    assertThat(refused(request(new JsonArray().add(new JsonObject().put("type", "function_call_output").put("output", "x"))))
      .getMessage()).contains("input[0].call_id");
  }

  @Test
  void withoutStorageStoreAndPreviousResponseIdAreRefusedButTheDefaultIsNotStored() {
    assertThatThrownBy(() -> ResponsesRequest.parse(request("Hi").put("store", true), false))
      .isInstanceOf(ApiError.class).hasMessageContaining("responses.max_stored");
    assertThatThrownBy(() -> ResponsesRequest.parse(request("Hi").put("previous_response_id", "resp_1"), false))
      .isInstanceOf(ApiError.class).hasMessageContaining("previous_response_id");
    assertThat(ResponsesRequest.parse(request("Hi"), false).store()).isFalse();
    assertThat(ResponsesRequest.parse(request("Hi"), true).store()).isTrue();
    assertThat(ResponsesRequest.parse(request("Hi").put("store", false), true).store()).isFalse();
  }

  @Test
  void theOpenfusionOverrideTravelsWithoutTheStreamFormatChoice() {
    assertThat(ResponsesRequest.parse(request("Hi").put("openfusion", new JsonObject().put("events", true)), true).override())
      .isNull();
    assertThat(ResponsesRequest.parse(request("Hi").put("openfusion", new JsonObject().put("preset", "budget")), true)
      .override()).isEqualTo(new JsonObject().put("preset", "budget"));
  }
}
