package io.openfusion.router;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake panel worker on {@link Addresses#PANEL_CALL}: answers each {@link MemberCall} as its script says (an answer,
 * an OpenAI error, or later), and records every call, so a router spec can conduct a fusion without HTTP.
 */
public final class ScriptedPanel {

  private final List<MemberCall> calls = new CopyOnWriteArrayList<>();

  private ScriptedPanel() {
  }

  /** @param script what to answer each call with; a failed future is sent back as the error it carries */
  public static ScriptedPanel start(Vertx vertx, Function<MemberCall, Future<MemberAnswer>> script) {
    ScriptedPanel panel = new ScriptedPanel();
    ApiPeer.await(vertx.eventBus().<JsonObject>consumer(Addresses.PANEL_CALL, message -> {
      MemberCall call = MemberCall.fromJson(message.body());
      panel.calls.add(call);
      script.apply(call)
        .onSuccess(answer -> message.reply(answer.toJson()))
        .onFailure(failure -> ApiError.from(failure, "panel").failReply(message));
    }).completion());
    return panel;
  }

  /** A member's answer with the usage a provider would report. */
  public static Future<MemberAnswer> answer(MemberCall call, String content, int promptTokens, int completionTokens) {
    JsonObject usage = new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
      .put("total_tokens", promptTokens + completionTokens);
    return Future.succeededFuture(new MemberAnswer(call.member().label(), call.member().model(), content, usage, 5, "stop"));
  }

  public List<MemberCall> calls() {
    return List.copyOf(calls);
  }

  /** The calls whose id starts with {@code prefix} (a fan-out's calls are {@code prefix#index}). */
  public List<MemberCall> calls(String prefix) {
    return calls.stream().filter(call -> call.callId().startsWith(prefix)).toList();
  }
}
