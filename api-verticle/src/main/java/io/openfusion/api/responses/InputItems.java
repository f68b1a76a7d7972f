package io.openfusion.api.responses;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns Responses input items into chat messages: messages ({@code input_text}, {@code input_image}; assistant
 * history with {@code output_text}), {@code function_call} items (joined to the assistant turn before them, as chat
 * puts every call of a turn on one message) and {@code function_call_output} items (tool messages). A response's
 * {@code output} is valid input too, which is how a stored conversation grows.
 */
final class InputItems {

  /** Chat messages the conversation may hold; far beyond any context window, it only stops abuse. */
  static final int MAX_ITEMS = 10_000;

  private InputItems() {
  }

  /** @param input a string (one user message) or a list of items */
  static JsonArray toMessages(Object input) {
    JsonArray messages = new JsonArray();
    if (input instanceof String text) {
      return messages.add(new JsonObject().put("role", "user").put("content", text));
    }
    if (!(input instanceof JsonArray items)) {
      throw invalid("input is required: a string or an array of input items");
    }
    if (items.size() > MAX_ITEMS) {
      throw invalid("input has " + items.size() + " items; at most " + MAX_ITEMS + " are accepted");
    }
    addAll(items, messages, "input");
    return messages;
  }

  /** Appends the chat messages of {@code items} (named {@code where} in errors) to {@code messages}. */
  static void addAll(JsonArray items, JsonArray messages, String where) {
    for (int i = 0; i < items.size(); i++) {
      String at = where + "[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw invalid(at + " must be an object");
      }
      Object type = item.getValue("type");
      switch (type == null ? "message" : String.valueOf(type)) {
        case "message" -> messages.add(message(item, at));
        case "function_call" -> functionCall(item, at, messages);
        case "function_call_output" -> messages.add(functionCallOutput(item, at));
        // the model's private reasoning from another provider: nothing this one can read
        case "reasoning" -> { }
        // references to stored items are resolved before the input is read (ItemReferences)
        case "item_reference" -> throw unsupported(at + ": this item_reference names no stored item; send the item "
          + "itself (or continue a stored response with previous_response_id)");
        default -> throw unsupported(at + ".type '" + type + "' is not supported; use message, function_call and "
          + "function_call_output items (built-in tools do not run behind this server)");
      }
    }
  }

  private static JsonObject message(JsonObject item, String at) {
    Object role = item.getValue("role");
    Object content = item.getValue("content");
    if (!(content instanceof String) && !(content instanceof JsonArray)) {
      throw invalid(at + ".content must be a string or an array of content parts");
    }
    if (!(role instanceof String r)) {
      throw invalid(at + ".role is required: user, assistant, system or developer");
    }
    return switch (r) {
      case "user" -> new JsonObject().put("role", "user").put("content", userContent(content, at));
      // chat servers other than OpenAI's rarely know the developer role; it means what system means
      case "system", "developer" -> new JsonObject().put("role", "system").put("content", text(content, at, false));
      case "assistant" -> new JsonObject().put("role", "assistant").put("content", text(content, at, true));
      default -> throw invalid(at + ".role '" + r + "' is not one of user, assistant, system, developer");
    };
  }

  /** A string, or the parts: text parts and images, one text part becoming a plain string. */
  private static Object userContent(Object content, String at) {
    if (content instanceof String text) {
      return text;
    }
    JsonArray parts = new JsonArray();
    boolean images = false;
    JsonArray list = (JsonArray) content;
    for (int i = 0; i < list.size(); i++) {
      String p = at + ".content[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject part)) {
        throw invalid(p + " must be an object");
      }
      Object type = part.getValue("type");
      switch (String.valueOf(type)) {
        case "input_text" -> parts.add(new JsonObject().put("type", "text").put("text", string(part, "text", p)));
        case "input_image" -> {
          parts.add(image(part, p));
          images = true;
        }
        case "input_file" -> throw unsupported(p + ": input_file is not supported; send the file's text as input_text");
        default -> throw invalid(p + ".type '" + type + "' is not a user content part; use input_text or input_image");
      }
    }
    if (!images && parts.size() == 1) {
      return parts.getJsonObject(0).getString("text");
    }
    return parts;
  }

  private static JsonObject image(JsonObject part, String at) {
    if (part.getValue("file_id") != null && part.getValue("image_url") == null) {
      throw unsupported(at + ": images by file_id are not supported (this server has no Files API); send image_url "
        + "with an https or data: URL");
    }
    if (!(part.getValue("image_url") instanceof String url) || url.isBlank()) {
      throw invalid(at + ".image_url must be an https or data: URL");
    }
    JsonObject image = new JsonObject().put("url", url);
    if (part.getValue("detail") instanceof String detail) {
      image.put("detail", detail);
    }
    return new JsonObject().put("type", "image_url").put("image_url", image);
  }

  /** The text of string or part content; assistant history also takes output_text and refusal parts. */
  private static String text(Object content, String at, boolean assistant) {
    if (content instanceof String text) {
      return text;
    }
    StringBuilder text = new StringBuilder();
    JsonArray list = (JsonArray) content;
    for (int i = 0; i < list.size(); i++) {
      String p = at + ".content[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject part)) {
        throw invalid(p + " must be an object");
      }
      Object type = part.getValue("type");
      switch (String.valueOf(type)) {
        case "input_text", "output_text" -> append(text, string(part, "text", p), assistant);
        case "refusal" -> append(text, string(part, "refusal", p), assistant);
        default -> throw invalid(p + ".type '" + type + "' is not supported here; use "
          + (assistant ? "output_text" : "input_text"));
      }
    }
    return text.toString();
  }

  /** The parts of one answer run on; separate instructions are kept apart. */
  private static void append(StringBuilder text, String part, boolean assistant) {
    if (!assistant && !text.isEmpty()) {
      text.append('\n');
    }
    text.append(part);
  }

  /** Joins the call to the assistant message just before it, or starts an assistant turn of calls. */
  private static void functionCall(JsonObject item, String at, JsonArray messages) {
    String callId = string(item, "call_id", at);
    String name = string(item, "name", at);
    Object arguments = item.getValue("arguments");
    if (arguments != null && !(arguments instanceof String)) {
      throw invalid(at + ".arguments must be a string of JSON");
    }
    JsonObject call = new JsonObject().put("id", callId).put("type", "function")
      .put("function", new JsonObject().put("name", name).put("arguments", arguments == null ? "{}" : arguments));
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (last == null || !"assistant".equals(last.getValue("role"))) {
      last = new JsonObject().put("role", "assistant").putNull("content");
      messages.add(last);
    }
    JsonArray calls = last.getValue("tool_calls") instanceof JsonArray a ? a : new JsonArray();
    last.put("tool_calls", calls.add(call));
  }

  private static JsonObject functionCallOutput(JsonObject item, String at) {
    String callId = string(item, "call_id", at);
    Object output = item.getValue("output");
    String text;
    if (output instanceof String s) {
      text = s;
    } else if (output instanceof JsonArray parts) {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        String p = at + ".output[" + i + "]";
        if (!(parts.getValue(i) instanceof JsonObject part) || !"input_text".equals(part.getValue("type"))) {
          throw unsupported(p + ": only input_text parts can be a function call's output here");
        }
        joined.append(string(part, "text", p));
      }
      text = joined.toString();
    } else {
      throw invalid(at + ".output must be a string");
    }
    return new JsonObject().put("role", "tool").put("tool_call_id", callId).put("content", text);
  }

  private static String string(JsonObject o, String field, String at) {
    if (!(o.getValue(field) instanceof String s)) {
      throw invalid(at + "." + field + " is required and must be a string");
    }
    return s;
  }

  static ApiError invalid(String message) {
    return ApiError.of(ErrorCode.INVALID_MESSAGES, message);
  }

  static ApiError unsupported(String message) {
    return ApiError.of(ErrorCode.UNSUPPORTED_PARAMETER, message);
  }
}
