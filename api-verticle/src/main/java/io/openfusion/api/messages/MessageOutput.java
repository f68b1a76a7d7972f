package io.openfusion.api.messages;

import io.openfusion.api.wire.FusionExtras;
import io.openfusion.api.wire.Ids;
import io.openfusion.shared.chat.Usages;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A buffered {@code chat.completion} as an Anthropic {@code message}, and the mappings its stream shares. */
final class MessageOutput {

  private MessageOutput() {
  }

  static JsonObject toMessage(String id, String requestedModel, JsonArray stopSequences, JsonObject completion) {
    JsonObject choice = completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
      && choices.getValue(0) instanceof JsonObject c ? c : new JsonObject();
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray content = new JsonArray();
    String text = text(message.getValue("content"));
    if (!text.isEmpty()) {
      content.add(new JsonObject().put("type", "text").put("text", text));
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object c : calls) {
        if (c instanceof JsonObject call) {
          JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
          content.add(new JsonObject().put("type", "tool_use")
            .put("id", call.getValue("id") instanceof String callId && !callId.isEmpty() ? callId : Ids.random("toolu_"))
            .put("name", function.getValue("name") instanceof String n ? n : "")
            .put("input", input(function.getValue("arguments"))));
        }
      }
    }
    String finish = choice.getValue("finish_reason") instanceof String f ? f : null;
    String matched = matchedStop(choice.getValue("stop_reason"), stopSequences);
    JsonObject usage = completion.getValue("usage") instanceof JsonObject u ? u : null;
    FusionExtras extras = new FusionExtras();
    extras.usage(usage);
    extras.analysis(completion.getValue("analysis") instanceof JsonObject a ? a : null);
    String model = completion.getValue("model") instanceof String m && !m.isBlank() ? m : requestedModel;
    JsonObject out = new JsonObject()
      .put("id", id)
      .put("type", "message")
      .put("role", "assistant")
      .put("model", model)
      .put("content", content)
      .put("stop_reason", stopReason(finish, matched))
      .put("stop_sequence", matched)
      .put("usage", usage(usage));
    JsonObject more = extras.toJson();
    return more == null ? out : out.put("openfusion", more);
  }

  /**
   * @param matchedStop the stop sequence that ended the answer, when the upstream said which (else null)
   * @return Anthropic's stop reason for a chat finish reason
   */
  static String stopReason(String finishReason, String matchedStop) {
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> matchedStop != null ? "stop_sequence" : "end_turn";
    };
  }

  /**
   * Chat answers do not say whether a stop sequence ended them; some servers (vLLM) name it in the choice's
   * {@code stop_reason}, which is taken when it is one of the request's.
   */
  static String matchedStop(Object stopReason, JsonArray stopSequences) {
    return stopReason instanceof String s && stopSequences.contains(s) ? s : null;
  }

  /**
   * Anthropic counts cache reads apart from {@code input_tokens}, where chat's {@code prompt_tokens} includes them;
   * cache writes are not reported by chat upstreams and stay null.
   */
  static JsonObject usage(JsonObject chat) {
    JsonObject usage = Usages.fromJson(chat);
    long prompt = usage != null && usage.getValue(Usages.PROMPT) instanceof Number n ? n.longValue() : 0;
    long completion = usage != null && usage.getValue(Usages.COMPLETION) instanceof Number n ? n.longValue() : 0;
    Long cached = usage != null && usage.getValue(Usages.PROMPT_DETAILS) instanceof JsonObject d
      && d.getValue(Usages.CACHED) instanceof Number n ? n.longValue() : null;
    return new JsonObject()
      .put("input_tokens", Math.max(0, prompt - (cached == null ? 0 : cached)))
      .putNull("cache_creation_input_tokens")
      .put("cache_read_input_tokens", cached)
      .put("output_tokens", completion);
  }

  /** Tool arguments are a JSON string in chat and an object here; what does not parse as an object becomes {}. */
  static JsonObject input(Object arguments) {
    if (arguments instanceof String s && !s.isBlank()) {
      try {
        return new JsonObject(s);
      } catch (DecodeException | ClassCastException notAnObject) {
        return new JsonObject();
      }
    }
    return new JsonObject();
  }

  private static String text(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
          text.append(t);
        }
      }
    }
    return text.toString();
  }
}
