package io.openfusion.shared.upstream;

import io.openfusion.shared.upstream.impl.HttpUpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Calls OpenAI-compatible {@code POST {baseUrl}/chat/completions} endpoints (OpenRouter, OpenAI, vLLM, Ollama) and,
 * for calls whose {@link UpstreamCall#provider()} is {@code ANTHROPIC}, native Anthropic {@code POST {baseUrl}/messages}
 * endpoints. Callers always send and receive OpenAI shapes: Anthropic requests, answers, stream events and errors are
 * translated (see {@code upstream.anthropic}), and an Anthropic stream ends with a usage chunk like OpenAI's
 * {@code include_usage} and completes at {@code message_stop} as if it were {@code [DONE]}; its thinking arrives as
 * {@code delta.reasoning_content}, never as content. One
 * instance holds one pooled HTTP client for all hosts; share it per verticle (or per Vert.x instance) and close it on
 * undeploy. Every failure is an {@link UpstreamException}, except an exception thrown by the caller's own
 * {@code onData} handler, which fails the call as is.
 * Calls made from a Vert.x context run on that context; calls from other threads get a fresh event-loop context.
 */
public interface UpstreamClient {

  static UpstreamClient create(Vertx vertx, UpstreamOptions options) {
    return new HttpUpstreamClient(vertx, options);
  }

  /**
   * Non-streaming call. Succeeds with the parsed JSON object on 2xx ({@code choices: []} included); fails with
   * {@link UpstreamException} otherwise, and also when the 2xx body reports an error (a top-level {@code error}, or a
   * choice finished with {@code "error"}: {@link UpstreamException.Kind#PROVIDER_ERROR}). If the body says
   * {@code stream: true}, a copy with {@code stream: false} is sent.
   */
  Future<JsonObject> complete(UpstreamCall call);

  /**
   * Streaming call. Every SSE data payload except {@code [DONE]} is checked, then handed to {@code onData} as raw JSON
   * text, in order, on the call's context. Succeeds at {@code [DONE]} (or Anthropic's {@code message_stop}); the
   * result says the answer is whole. Fails with {@link UpstreamException} when the stream breaks or stalls, when it
   * ends before its terminator ({@link UpstreamException.Kind#INCOMPLETE_STREAM}), or when the upstream reports an
   * error in it: a payload with a top-level {@code error}, a choice finished with {@code "error"}, an SSE message
   * named {@code error}, an Anthropic {@code error} event ({@link UpstreamException.Kind#PROVIDER_ERROR}, or the
   * documented HTTP status for Anthropic's error types). A payload that reports an error never reaches
   * {@code onData}. If the body lacks {@code stream: true}, a copy with it is sent.
   */
  default Future<StreamResult> stream(UpstreamCall call, Handler<String> onData) {
    return stream(call, onData, Pace.UNLIMITED);
  }

  /**
   * {@link #stream(UpstreamCall, Handler)} at the caller's {@code pace}: while it is full, the response is paused and
   * the idle clock stopped.
   */
  Future<StreamResult> stream(UpstreamCall call, Handler<String> onData, Pace pace);

  /** Closes the pooled connections. */
  Future<Void> close();
}
