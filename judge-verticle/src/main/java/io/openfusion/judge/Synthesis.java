package io.openfusion.judge;

import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.sse.DeltaContent;
import io.openfusion.shared.telemetry.Phase;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.upstream.UpstreamFailures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * One judge call: streams the synthesized text to the router that asked ({@link TextRelay}), keeping the analysis
 * trailer out of it. The judge knows nothing of the client or its wire format: the router writes the answer.
 *
 * <p>The judge is always called with streaming and {@code include_usage}, so its usage is reported whatever the client
 * asked. Only its content is the answer: reasoning deltas are never read ({@code DeltaContent}). A failure before any
 * text was sent, or a judge that answered nothing, refuses the synthesis (the router may fall back to the panel); after
 * text was sent, the error goes in the last part so the router decides what its client sees.
 */
final class Synthesis {

  private final Recipes recipes;
  private final UpstreamClient client;
  private final RuntimeKeys keys;
  private final Telemetry telemetry;

  Synthesis(Recipes recipes, UpstreamClient client, RuntimeKeys keys, Telemetry telemetry) {
    this.recipes = recipes;
    this.keys = keys;
    this.client = client;
    this.telemetry = telemetry;
  }

  /** @return completes when the synthesis ended, its last part sent or its request refused */
  Future<Void> run(SynthesisCommand command, StreamSender parts, Future<Void> cancel) {
    OpenFusionConfig config = recipes.get(command.recipe());
    UpstreamConfig configured = config == null ? null : command.judge().resolve(config);
    if (configured == null) {
      return Future.failedFuture(ApiError.of(ErrorCode.JUDGE_NOT_CONFIGURED,
        "No judge is configured on this node; add a judge to the config"));
    }
    return keys.fill(configured, command.caller()).compose(judge -> run(command, judge,
      command.whole() ? TextRelay.whole(parts) : new TextRelay(parts), cancel));
  }

  private Future<Void> run(SynthesisCommand command, UpstreamConfig judge, TextRelay relay, Future<Void> cancel) {
    OpenFusionConfig config = recipes.get(command.recipe());
    int maxPanelTokens = config.judge() == null ? 120_000 : config.judge().maxPanelTokens();
    JsonObject body = command.params().copy()
      .put("model", judge.model())
      .put("messages", JudgePrompt.messages(command.messages(), command.answers(), command.emitAnalysis(), maxPanelTokens))
      .put("stream", true)
      .put("stream_options", new JsonObject().put("include_usage", true));
    AnalysisSplitter splitter = command.emitAnalysis() ? new AnalysisSplitter() : null;
    // the upstream call stops when the client's request is cancelled or when the router stops listening
    Promise<Void> stop = Promise.promise();
    cancel.onSuccess(stop::tryComplete);
    relay.routerGone().onFailure(gone -> stop.tryComplete());
    UpstreamCall call = new UpstreamCall(judge.baseUrl(), judge.apiKey(), body, command.deadline(), stop.future(), "judge",
      judge.provider());
    boolean[] wrote = {false};
    return telemetry.stream(client, call, data -> {
        // malformed payloads have no content here; the upstream client reports them itself
        String delta = DeltaContent.of(data);
        if (delta != null && !delta.isEmpty()) {
          String text = splitter == null ? delta : splitter.accept(delta);
          wrote[0] |= !text.isEmpty();
          relay.text(text);
        }
      }, relay, Phase.JUDGE, command.requestId(), command.trace())
      .transform(done -> {
        JsonObject analysis = null;
        if (splitter != null && done.succeeded()) {
          String rest = splitter.flush();
          wrote[0] |= !rest.isEmpty();
          relay.text(rest);
        }
        if (splitter != null) {
          analysis = splitter.analysis();
        }
        if (done.failed() && !relay.started()) {
          relay.refuse(UpstreamFailures.toApiError(done.cause()));
          return Future.succeededFuture();
        }
        if (done.succeeded() && !wrote[0]) {
          // a judge that wrote nothing (only reasoning, or nothing at all) has not answered: the router falls back
          String finish = done.result().finishReason();
          relay.refuse(ApiError.of(ErrorCode.UPSTREAM_ERROR, "The judge returned an empty answer"
            + (finish == null ? "" : " (finish_reason " + finish + ")")));
          return Future.succeededFuture();
        }
        SynthesisResult result = done.succeeded()
          ? new SynthesisResult(done.result().usage(), done.result().finishReason(), analysis, null)
          : new SynthesisResult(null, null, analysis, UpstreamFailures.toApiError(done.cause()).errorObject());
        // a router that stopped listening has nobody left to tell
        return relay.finish(result).recover(gone -> Future.succeededFuture());
      });
  }
}
