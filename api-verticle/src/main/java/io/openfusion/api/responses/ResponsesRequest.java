package io.openfusion.api.responses;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * A {@code POST /v1/responses} body, checked, and the chat-completions body it becomes. Fields with a chat meaning
 * are carried over ({@code max_output_tokens} as {@code max_tokens}, function tools, {@code text.format} as
 * {@code response_format}, {@code reasoning.effort} as {@code reasoning_effort}); what the proxy cannot do gets a 400
 * that says so; {@code metadata}, {@code truncation} and {@code include} are echoed or ignored and reach no model.
 */
final class ResponsesRequest {

  /** Fields chat completions has under the same name and meaning. */
  private static final Set<String> FORWARDED = Set.of("temperature", "top_p", "parallel_tool_calls", "user",
    "service_tier", "safety_identifier", "prompt_cache_key");
  /** Platform features with no chat equivalent: background runs, stored conversations, stored prompts. */
  private static final List<String> REFUSED = List.of("background", "conversation", "prompt");

  private final JsonObject body;
  private final String model;
  private final boolean stream;
  private final boolean store;
  private final String previousResponseId;
  private final String instructions;
  private final JsonArray input;
  private final JsonObject chatParams = new JsonObject();
  private final JsonObject override;

  private ResponsesRequest(JsonObject body, boolean storing) {
    this.body = body;
    if (!(body.getValue("model") instanceof String m) || m.isBlank()) {
      throw ApiError.of(ErrorCode.INVALID_MODEL, "model is required and must be a non-empty string (use \"openfusion\" to fuse)");
    }
    this.model = m;
    this.stream = bool("stream", false);
    Object storeValue = body.getValue("store");
    if (storeValue != null && !(storeValue instanceof Boolean)) {
      throw invalid("store must be true or false");
    }
    if (Boolean.TRUE.equals(storeValue) && !storing) {
      throw InputItems.unsupported("store: true is not available: this server keeps no responses (responses.max_stored "
        + "is 0); omit store or set it to false");
    }
    this.store = storing && !Boolean.FALSE.equals(storeValue);
    Object previous = body.getValue("previous_response_id");
    if (previous != null && !(previous instanceof String p && !p.isBlank())) {
      throw invalid("previous_response_id must be a response id string");
    }
    if (previous != null && !storing) {
      throw InputItems.unsupported("previous_response_id is not available: this server keeps no responses "
        + "(responses.max_stored is 0); send the whole conversation as input");
    }
    this.previousResponseId = (String) previous;
    Object instr = body.getValue("instructions");
    if (instr != null && !(instr instanceof String)) {
      throw invalid("instructions must be a string");
    }
    this.instructions = (String) instr;
    for (String field : REFUSED) {
      Object value = body.getValue(field);
      if (value != null && !Boolean.FALSE.equals(value)) {
        throw InputItems.unsupported(field + " is not supported by this server; remove it");
      }
    }
    this.input = InputItems.toMessages(body.getValue("input"));
    if (input.isEmpty() && previousResponseId == null) {
      throw InputItems.invalid("input has nothing for the model to answer; send a string or at least one message item");
    }
    Object openfusion = body.getValue("openfusion");
    if (openfusion != null && !(openfusion instanceof JsonObject)) {
      throw ApiError.of(ErrorCode.INVALID_OVERRIDE, "openfusion override must be an object");
    }
    this.override = overrideOf((JsonObject) openfusion);
    metadata();
    chatParams();
  }

  /**
   * @param storing whether this server keeps responses ({@code responses.max_stored > 0})
   * @throws ApiError 400 naming what to fix
   */
  static ResponsesRequest parse(JsonObject body, boolean storing) {
    return new ResponsesRequest(body, storing);
  }

  String model() {
    return model;
  }

  boolean stream() {
    return stream;
  }

  /** Whether the answer is kept for {@code previous_response_id}. */
  boolean store() {
    return store;
  }

  String previousResponseId() {
    return previousResponseId;
  }

  /** This request's input as chat messages (without the instructions, which are not carried to the next turn). */
  JsonArray input() {
    return input;
  }

  JsonObject override() {
    return override;
  }

  /** The original body, for the fields the response object echoes. */
  JsonObject body() {
    return body;
  }

  /**
   * @param history the conversation of the response this one continues (empty for none)
   * @return the chat-completions body: instructions as the system message, the history, the input
   */
  JsonObject chatBody(JsonArray history) {
    JsonArray messages = new JsonArray();
    if (instructions != null && !instructions.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    history.forEach(messages::add);
    input.forEach(messages::add);
    JsonObject chat = chatParams.copy().put("model", model).put("messages", messages);
    if (stream) {
      // the final response event reports usage, so the chat stream must carry it
      chat.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return chat;
  }

  private void chatParams() {
    for (String field : FORWARDED) {
      if (body.getValue(field) != null) {
        chatParams.put(field, body.getValue(field));
      }
    }
    Object maxOutput = body.getValue("max_output_tokens");
    if (maxOutput != null) {
      if (!(maxOutput instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1
        || n.doubleValue() > Integer.MAX_VALUE) {
        throw ApiError.of(ErrorCode.INVALID_MAX_TOKENS, "max_output_tokens must be a positive integer");
      }
      chatParams.put("max_tokens", n.intValue());
    }
    Object tools = body.getValue("tools");
    if (tools != null) {
      JsonArray chatTools = Tools.functions(tools);
      if (!chatTools.isEmpty()) {
        chatParams.put("tools", chatTools);
      }
    }
    Object choice = body.getValue("tool_choice");
    if (choice != null) {
      chatParams.put("tool_choice", Tools.choice(choice));
    }
    if (body.getValue("text") != null) {
      if (!(body.getValue("text") instanceof JsonObject text)) {
        throw invalid("text must be an object like {\"format\": {\"type\": \"json_schema\", ...}}");
      }
      JsonObject format = TextFormat.responseFormat(text.getValue("format"));
      if (format != null) {
        chatParams.put("response_format", format);
      }
      if (text.getValue("verbosity") instanceof String verbosity) {
        chatParams.put("verbosity", verbosity);
      }
    }
    if (body.getValue("reasoning") != null) {
      if (!(body.getValue("reasoning") instanceof JsonObject reasoning)) {
        throw invalid("reasoning must be an object like {\"effort\": \"low\"}");
      }
      if (reasoning.getValue("effort") instanceof String effort) {
        chatParams.put("reasoning_effort", effort);
      }
    }
  }

  /** Metadata stays with the response (OpenAI's rule: string values); it reaches no model. */
  private void metadata() {
    Object metadata = body.getValue("metadata");
    if (metadata == null) {
      return;
    }
    if (!(metadata instanceof JsonObject map)) {
      throw invalid("metadata must be an object of string values");
    }
    if (map.size() > 16) {
      throw invalid("metadata has " + map.size() + " keys; at most 16 are accepted");
    }
    for (String key : map.fieldNames()) {
      if (!(map.getValue(key) instanceof String value) || value.length() > 512 || key.length() > 64) {
        throw invalid("metadata." + key + " must be a string of at most 512 characters (keys at most 64)");
      }
    }
  }

  /** The {@code openfusion} override without the stream-format choice, which means nothing here. */
  private static JsonObject overrideOf(JsonObject openfusion) {
    if (openfusion == null) {
      return null;
    }
    JsonObject copy = openfusion.copy();
    copy.remove("events");
    return copy.isEmpty() ? null : copy;
  }

  private boolean bool(String field, boolean fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw invalid(field + " must be true or false");
    }
    return b;
  }

  private static ApiError invalid(String message) {
    return ApiError.of(ErrorCode.INVALID_PARAMETER, message);
  }
}
