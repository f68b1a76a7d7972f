package io.openfusion.api.messages;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic Messages body, checked, and the chat-completions body it becomes: {@code system} as the first message,
 * content blocks as chat parts (images as data or https URLs), {@code tool_use} blocks as the assistant's tool calls,
 * {@code tool_result} blocks as tool messages, {@code stop_sequences} as {@code stop}, {@code metadata.user_id} as
 * {@code user}, tools with {@code input_schema} as function tools. {@code top_k} and {@code thinking} have no chat
 * meaning and are ignored; server tools and features the proxy cannot run get a 400.
 */
final class MessagesRequest {

  private static final int MAX_MESSAGES = 10_000;

  private final JsonObject body;
  private final String model;
  private final boolean stream;
  private final JsonArray stopSequences;
  private final JsonObject chat = new JsonObject();
  private final JsonObject override;

  private MessagesRequest(JsonObject body, boolean countOnly) {
    this.body = body;
    if (!(body.getValue("model") instanceof String m) || m.isBlank()) {
      throw ApiError.of(ErrorCode.INVALID_MODEL, "model: required, a non-empty string (use \"openfusion\" to fuse)");
    }
    this.model = m;
    if (!countOnly) {
      Object maxTokens = body.getValue("max_tokens");
      if (maxTokens == null) {
        throw ApiError.of(ErrorCode.INVALID_MAX_TOKENS, "max_tokens: required, the most tokens the answer may have");
      }
      if (!(maxTokens instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1
        || n.doubleValue() > Integer.MAX_VALUE) {
        throw ApiError.of(ErrorCode.INVALID_MAX_TOKENS, "max_tokens: must be a positive integer");
      }
      chat.put("max_tokens", n.intValue());
    }
    Object streamValue = body.getValue("stream");
    if (streamValue != null && !(streamValue instanceof Boolean)) {
      throw invalid("stream: must be true or false");
    }
    this.stream = !countOnly && Boolean.TRUE.equals(streamValue);
    for (String refused : new String[] {"mcp_servers", "container"}) {
      if (body.getValue(refused) != null) {
        throw ApiError.of(ErrorCode.UNSUPPORTED_PARAMETER, refused + ": not supported by this server; remove it");
      }
    }
    JsonArray messages = new JsonArray();
    Object system = body.getValue("system");
    if (system != null) {
      messages.add(new JsonObject().put("role", "system").put("content", systemText(system)));
    }
    turns(messages);
    chat.put("model", model).put("messages", messages);
    this.stopSequences = stops();
    if (!stopSequences.isEmpty()) {
      chat.put("stop", stopSequences);
    }
    number("temperature");
    number("top_p");
    if (body.getValue("metadata") != null) {
      if (!(body.getValue("metadata") instanceof JsonObject metadata)) {
        throw invalid("metadata: must be an object like {\"user_id\": \"...\"}");
      }
      if (metadata.getValue("user_id") instanceof String user && !user.isBlank()) {
        chat.put("user", user);
      }
    }
    Object tools = body.getValue("tools");
    if (tools != null) {
      JsonArray functions = Tools.functions(tools);
      if (!functions.isEmpty()) {
        chat.put("tools", functions);
      }
    }
    if (body.getValue("tool_choice") != null) {
      Tools.choice(body.getValue("tool_choice"), chat);
    }
    if (stream) {
      // the final message_delta reports usage, so the chat stream must carry it
      chat.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    Object openfusion = body.getValue("openfusion");
    if (openfusion != null && !(openfusion instanceof JsonObject)) {
      throw ApiError.of(ErrorCode.INVALID_OVERRIDE, "openfusion: the override must be an object");
    }
    JsonObject o = openfusion == null ? null : ((JsonObject) openfusion).copy();
    if (o != null) {
      o.remove("events");
    }
    this.override = o == null || o.isEmpty() ? null : o;
  }

  /** @throws ApiError 400 naming the field to fix */
  static MessagesRequest parse(JsonObject body) {
    return new MessagesRequest(body, false);
  }

  /** A {@code count_tokens} body: a Messages body without {@code max_tokens} and {@code stream}. */
  static MessagesRequest parseForCount(JsonObject body) {
    return new MessagesRequest(body, true);
  }

  String model() {
    return model;
  }

  boolean stream() {
    return stream;
  }

  /** The stop sequences asked for, to tell which one ended an answer. */
  JsonArray stopSequences() {
    return stopSequences;
  }

  JsonObject chatBody() {
    return chat;
  }

  JsonObject override() {
    return override;
  }

  private void turns(JsonArray messages) {
    if (!(body.getValue("messages") instanceof JsonArray turns) || turns.isEmpty()) {
      throw ApiError.of(ErrorCode.INVALID_MESSAGES, "messages: required, a non-empty array of user and assistant turns");
    }
    if (turns.size() > MAX_MESSAGES) {
      throw ApiError.of(ErrorCode.INVALID_MESSAGES, "messages: " + turns.size() + " turns; at most " + MAX_MESSAGES
        + " are accepted");
    }
    for (int i = 0; i < turns.size(); i++) {
      String at = "messages." + i;
      if (!(turns.getValue(i) instanceof JsonObject turn)) {
        throw ApiError.of(ErrorCode.INVALID_MESSAGES, at + ": must be an object with role and content");
      }
      Object role = turn.getValue("role");
      Object content = turn.getValue("content");
      if (!(content instanceof String) && !(content instanceof JsonArray)) {
        throw ApiError.of(ErrorCode.INVALID_MESSAGES, at + ".content: must be a string or an array of content blocks");
      }
      if ("user".equals(role)) {
        Blocks.user(content, at, messages);
      } else if ("assistant".equals(role)) {
        messages.add(Blocks.assistant(content, at));
      } else {
        throw ApiError.of(ErrorCode.INVALID_MESSAGES, at + ".role: must be user or assistant (system goes in the "
          + "top-level system field)");
      }
    }
  }

  private static String systemText(Object system) {
    if (system instanceof String text) {
      return text;
    }
    if (!(system instanceof JsonArray blocks)) {
      throw invalid("system: must be a string or an array of text blocks");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.getValue(i) instanceof JsonObject block) || !"text".equals(block.getValue("type"))
        || !(block.getValue("text") instanceof String t)) {
        throw invalid("system." + i + ": must be a text block {\"type\": \"text\", \"text\": ...}");
      }
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(t);
    }
    return text.toString();
  }

  private JsonArray stops() {
    Object value = body.getValue("stop_sequences");
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray list) || !list.stream().allMatch(s -> s instanceof String)) {
      throw invalid("stop_sequences: must be an array of strings");
    }
    JsonArray stops = new JsonArray();
    list.forEach(s -> {
      if (!((String) s).isEmpty()) {
        stops.add(s);
      }
    });
    return stops;
  }

  private void number(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return;
    }
    if (!(value instanceof Number)) {
      throw invalid(field + ": must be a number");
    }
    chat.put(field, value);
  }

  static ApiError invalid(String message) {
    return ApiError.of(ErrorCode.INVALID_PARAMETER, message);
  }
}
