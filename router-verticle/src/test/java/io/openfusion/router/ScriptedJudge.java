package io.openfusion.router;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisPart;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake judge worker on {@link Addresses#JUDGE_SYNTHESIZE} that plays the judge's side of the synthesis stream: it
 * refuses the request, or sends its text parts one at a time with the judge's own {@link StreamSender} (each only once
 * the router asked for more: its credit) and then the last part with its result. It records what it was asked
 * and how the router answered its parts.
 */
public final class ScriptedJudge {

  /**
   * @param refusal a refusal before any text (then nothing else is sent), or null
   * @param texts   the text parts
   * @param result  how the synthesis ends, sent with the last part
   */
  public record Script(ApiError refusal, List<String> texts, SynthesisResult result) {

    public static Script refuses(ApiError refusal) {
      return new Script(refusal, List.of(), null);
    }

    public static Script writes(List<String> texts, SynthesisResult result) {
      return new Script(null, texts, result);
    }
  }

  private final Script script;
  private final List<SynthesisCommand> commands = new CopyOnWriteArrayList<>();
  private final AtomicInteger answered = new AtomicInteger();
  private final Promise<Integer> routerFailedPart = Promise.promise();
  private final Promise<Void> finished = Promise.promise();

  private ScriptedJudge(Script script) {
    this.script = script;
  }

  public static ScriptedJudge start(Vertx vertx, Script script) {
    ScriptedJudge judge = new ScriptedJudge(script);
    ApiPeer.await(vertx.eventBus().<JsonObject>consumer(Addresses.JUDGE_SYNTHESIZE, message -> {
      judge.commands.add(SynthesisCommand.fromJson(message.body()));
      if (script.refusal() != null) {
        script.refusal().failReply(message);
        judge.finished.tryComplete();
        return;
      }
      judge.next(StreamSender.answering(StreamPost.of(vertx), message, new DeliveryOptions().setSendTimeout(30_000),
        System.currentTimeMillis() + 30_000), 0);
    }).completion());
    return judge;
  }

  /** A usage object as a provider reports it. */
  public static JsonObject usage(int prompt, int completion) {
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
      .put("total_tokens", prompt + completion);
  }

  private void next(StreamSender parts, int index) {
    if (index == script.texts().size()) {
      parts.last(new SynthesisPart("", script.result()).toJson(), false);
      finished.tryComplete();
      return;
    }
    parts.send(new SynthesisPart(script.texts().get(index), null).toJson())
      .onSuccess(more -> {
        answered.incrementAndGet();
        next(parts, index + 1);
      })
      .onFailure(failure -> {
        routerFailedPart.tryComplete(index);
        finished.tryComplete();
      });
  }

  public List<SynthesisCommand> commands() {
    return List.copyOf(commands);
  }

  /** Text parts the router answered so far (asked for more after). */
  public int answered() {
    return answered.get();
  }

  /** Completes with the index of the part the router failed (its client left), if it does. */
  public io.vertx.core.Future<Integer> routerFailedPart() {
    return routerFailedPart.future();
  }

  /** Completes once the judge sent its last part, refused, or was stopped. */
  public io.vertx.core.Future<Void> finished() {
    return finished.future();
  }
}
