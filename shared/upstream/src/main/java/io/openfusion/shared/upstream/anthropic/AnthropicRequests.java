package io.openfusion.shared.upstream.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds an Anthropic Messages request from an OpenAI chat-completions body. Only fields with an Anthropic meaning are
 * carried over; OpenAI-only ones ({@code stream_options}, {@code response_format}, {@code seed}, {@code n},
 * {@code logit_bias}, penalties, ...) are dropped because Anthropic rejects unknown fields.
 */
public final class AnthropicRequests {

  /** Anthropic requires {@code max_tokens}; this is the original's default when the client names none. */
  public static final int DEFAULT_MAX_TOKENS = 1024;

  private AnthropicRequests() {
  }

  /**
   * @param body   the OpenAI request; not modified
   * @param stream whether to ask for an event stream
   * @return a new Anthropic request body
   */
  public static JsonObject fromOpenAi(JsonObject body, boolean stream) {
    JsonArray messages = body.getValue("messages") instanceof JsonArray m ? m : new JsonArray();
    JsonObject out = new JsonObject();
    if (body.getValue("model") != null) {
      out.put("model", body.getValue("model"));
    }
    Object system = Conversation.system(messages);
    if (system != null) {
      out.put("system", system);
    }
    out.put("messages", Conversation.turns(messages));
    out.put("max_tokens", maxTokens(body));
    copySampling(body, out);
    JsonArray stops = stopSequences(body.getValue("stop"));
    if (!stops.isEmpty()) {
      out.put("stop_sequences", stops);
    }
    JsonArray tools = Tools.tools(body.getValue("tools"));
    if (!tools.isEmpty()) {
      out.put("tools", tools);
      JsonObject choice = Tools.choice(body.getValue("tool_choice"),
          !Boolean.FALSE.equals(body.getValue("parallel_tool_calls")));
      if (choice != null) {
        out.put("tool_choice", choice);
      }
    }
    if (body.getValue("user") instanceof String user && !user.isBlank()) {
      out.put("metadata", new JsonObject().put("user_id", user));
    }
    if (stream) {
      out.put("stream", true);
    }
    return out;
  }

  /**
   * The smaller of {@code max_tokens} and {@code max_completion_tokens} when both are given, so a cost ceiling put
   * on either one still holds; {@link #DEFAULT_MAX_TOKENS} when neither is a positive integer.
   */
  static int maxTokens(JsonObject body) {
    int a = positiveInt(body.getValue("max_tokens"));
    int b = positiveInt(body.getValue("max_completion_tokens"));
    if (a > 0 && b > 0) {
      return Math.min(a, b);
    }
    return a > 0 ? a : b > 0 ? b : DEFAULT_MAX_TOKENS;
  }

  /** {@code stop} is a string or a list of strings in OpenAI; Anthropic only takes a list of non-empty ones. */
  static JsonArray stopSequences(Object stop) {
    JsonArray out = new JsonArray();
    if (stop instanceof String s && !s.isEmpty()) {
      out.add(s);
    } else if (stop instanceof JsonArray list) {
      for (Object s : list) {
        if (s instanceof String str && !str.isEmpty()) {
          out.add(str);
        }
      }
    }
    return out;
  }

  /**
   * OpenAI allows temperature up to 2 but Anthropic rejects anything above 1, so it is clamped rather than failing
   * the call (self-fusion temperature spreads may go past 1).
   */
  private static void copySampling(JsonObject body, JsonObject out) {
    if (body.getValue("temperature") instanceof Number t) {
      double v = t.doubleValue();
      out.put("temperature", v >= 0 && v <= 1 ? t : Math.min(1.0, Math.max(0.0, v)));
    }
    if (body.getValue("top_p") instanceof Number p) {
      out.put("top_p", p);
    }
  }

  private static int positiveInt(Object v) {
    if (v instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    return 0;
  }
}
