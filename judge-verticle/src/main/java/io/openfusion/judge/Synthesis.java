package io.openfusion.judge;

import io.openfusion.shared.bus.StreamSink;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.upstream.UpstreamFailures;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.sse.ChunkFrames;
import io.openfusion.shared.sse.DeltaContent;
import io.openfusion.shared.telemetry.Phase;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * One judge call: streams the synthesized answer to the client's api instance (or collects it for a
 * non-streamed request), keeping the analysis trailer out of the answer.
 *
 * <p>The judge is always called with streaming and {@code include_usage}, so its usage is reported
 * whether or not the client streams. Only its content is the answer: reasoning deltas are never read
 * ({@code DeltaContent}). A failure before any content reached the client fails the whole synthesis
 * (the router may still recover, e.g. fall back to the panel), and so does a judge that answered
 * nothing; a non-streamed client never saw any content, so for it every failure is of that kind.
 * After content reached a streamed client, the error is reported in the result so the router ends the
 * stream with an error chunk.
 */
final class Synthesis {

  private final OpenFusionConfig config;
  private final UpstreamClient client;
  private final EventBus eventBus;
  private final RuntimeKeys keys;
  private final Telemetry telemetry;

  Synthesis(OpenFusionConfig config, UpstreamClient client, EventBus eventBus, RuntimeKeys keys, Telemetry telemetry) {
    this.config = config;
    this.keys = keys;
    this.client = client;
    this.eventBus = eventBus;
    this.telemetry = telemetry;
  }

  Future<SynthesisResult> run(SynthesisCommand command, Future<Void> cancel) {
    UpstreamConfig configured = command.judge().resolve(config);
    if (configured == null) {
      return Future.failedFuture(ApiError.of(ErrorCode.JUDGE_NOT_CONFIGURED,
        "No judge is configured on this node; add a judge to the config"));
    }
    return keys.fill(configured, command.caller()).compose(judge -> run(command, judge, cancel));
  }

  private Future<SynthesisResult> run(SynthesisCommand command, UpstreamConfig judge, Future<Void> cancel) {
    int maxPanelTokens = config.judge() == null ? 120_000 : config.judge().maxPanelTokens();
    JsonObject body = command.params().copy()
      .put("model", judge.model())
      .put("messages", JudgePrompt.messages(command.messages(), command.answers(), command.emitAnalysis(), maxPanelTokens))
      .put("stream", true)
      .put("stream_options", new JsonObject().put("include_usage", true));
    Output output = new Output(command, command.stream()
      ? new StreamSink(eventBus, command.streamTo(), command.requestId(), command.firstSeq())
      : null);
    UpstreamCall call = new UpstreamCall(judge.baseUrl(), judge.apiKey(), body, command.deadline(), cancel, "judge", judge.provider());
    return telemetry.stream(client, call, output::accept, Phase.JUDGE, command.requestId())
      .compose(result -> {
        SynthesisResult done = output.finish(result.usage(), result.finishReason(), null);
        // a judge that wrote nothing (only reasoning, or nothing at all) has not answered: the router falls back
        return output.started() ? Future.succeededFuture(done)
          : Future.failedFuture(ApiError.of(ErrorCode.UPSTREAM_ERROR, "The judge returned an empty answer"
            + (result.finishReason() == null ? "" : " (finish_reason " + result.finishReason() + ")")));
      }, failure -> {
        ApiError error = UpstreamFailures.toApiError(failure);
        // only text a client already received makes the failure part of the answer; a collected answer is dropped
        // whole, so a non-streamed client never gets a cut answer
        if (!output.reachedClient()) {
          return Future.failedFuture(error);
        }
        return Future.succeededFuture(output.finish(null, null, error.errorObject()));
      });
  }

  /** Where the judge's text goes: content chunks on the stream, or a buffer. */
  private static final class Output {
    private final SynthesisCommand command;
    private final StreamSink sink;
    private final AnalysisSplitter splitter;
    private final StringBuilder collected = new StringBuilder();
    /** The chunk encoder for this stream's id, created and model; made with the first chunk. */
    private ChunkFrames frames;
    private boolean roleSent;
    private boolean started;

    Output(SynthesisCommand command, StreamSink sink) {
      this.command = command;
      this.sink = sink;
      this.splitter = command.emitAnalysis() ? new AnalysisSplitter() : null;
    }

    void accept(String data) {
      // malformed payloads have no content here; the upstream client reports them itself
      String delta = DeltaContent.of(data);
      if (delta == null || delta.isEmpty()) {
        return;
      }
      emit(splitter == null ? delta : splitter.accept(delta));
    }

    SynthesisResult finish(JsonObject usage, String finishReason, JsonObject error) {
      JsonObject analysis = null;
      if (splitter != null) {
        if (error == null) {
          emit(splitter.flush());
        }
        analysis = splitter.analysis();
      }
      int nextSeq = sink == null ? command.firstSeq() : sink.nextSeq();
      // streamed answers come back too, so the router can cache a complete answer
      String content = collected.toString();
      return new SynthesisResult(nextSeq, content, usage, finishReason, analysis, error);
    }

    boolean started() {
      return started;
    }

    /** @return whether some of the answer was already streamed to the client */
    boolean reachedClient() {
      return started && sink != null;
    }

    private void emit(String text) {
      if (text.isEmpty()) {
        return;
      }
      started = true;
      collected.append(text);
      if (sink == null) {
        return;
      }
      if (frames == null) {
        JsonObject meta = command.chunk();
        frames = new ChunkFrames(meta.getString("id"), meta.getLong("created"), meta.getString("model"));
      }
      sink.send(frames.content(text, !roleSent));
      roleSent = true;
    }
  }
}
