package io.openfusion.router.passthrough;

import io.openfusion.router.recipe.KeyCheck;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.TokenCeilings;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.StreamSink;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.error.UpstreamFailures;
import io.openfusion.shared.sse.SseFrames;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Sends a request to one model and relays its answer unchanged: chunk by chunk when streamed, the
 * upstream's JSON verbatim otherwise. Upstream errors before the first chunk keep the upstream's status;
 * after it they end the stream with an error chunk and {@code [DONE]}.
 */
public final class PassThrough {

  private final OpenFusionConfig config;
  private final UpstreamClient client;
  private final EventBus eventBus;

  public PassThrough(OpenFusionConfig config, UpstreamClient client, EventBus eventBus) {
    this.config = config;
    this.client = client;
    this.eventBus = eventBus;
  }

  /** @param model the model to call: the client's, or the configured pass-through model for a fusion request routed solo */
  public Future<JsonObject> run(ChatCommand command, Recipe recipe, String model, Future<Void> cancel) {
    UpstreamConfig upstream = new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, model, "pass-through").resolve(config);
    if (upstream == null) {
      return Future.failedFuture(ApiError.of(ErrorCode.UPSTREAM_ERROR,
        "No pass-through upstream is configured; add 'pass_through' or a panel member to the config"));
    }
    JsonObject body = command.body().copy().put("model", upstream.model());
    try {
      KeyCheck.require(upstream);
      TokenCeilings.reject(body, recipe.ceilings().passThroughMaxTokens(), "pass_through");
    } catch (ApiError rejected) {
      return Future.failedFuture(rejected);
    }
    UpstreamCall call = new UpstreamCall(upstream.baseUrl(), upstream.apiKey(), body.put("stream", command.stream()),
      command.deadline(), cancel, "pass-through");
    if (!command.stream()) {
      return client.complete(call)
        .map(response -> new JsonObject().put("body", response))
        .recover(failure -> Future.failedFuture(UpstreamFailures.toApiError(failure)));
    }
    StreamSink sink = new StreamSink(eventBus, command.streamTo(), command.requestId(), 0);
    return client.stream(call, data -> sink.send(SseFrames.data(data)))
      .map(result -> {
        if (!result.sawDone()) {
          ApiError cut = ApiError.of(ErrorCode.UPSTREAM_ERROR, "Upstream stream ended without [DONE]; the answer may be incomplete");
          sink.send(SseFrames.data(Completions.errorChunk(cut.errorObject()).encode()));
          sink.sendLast(SseFrames.done(), false);
        } else {
          sink.sendLast(SseFrames.done(), true);
        }
        return new JsonObject().put("frames", sink.nextSeq());
      })
      .recover(failure -> {
        ApiError error = UpstreamFailures.toApiError(failure);
        if (!sink.started(0)) {
          return Future.failedFuture(error);
        }
        sink.send(SseFrames.data(Completions.errorChunk(error.errorObject()).encode()));
        sink.sendLast(SseFrames.done(), false);
        return Future.succeededFuture(new JsonObject().put("frames", sink.nextSeq()));
      });
  }
}
