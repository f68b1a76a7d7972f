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
 * {@code include_usage} and completes at {@code message_stop} as if it were {@code [DONE]}. One
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
   * {@link UpstreamException} otherwise. If the body says {@code stream: true}, a copy with {@code stream: false} is sent.
   */
  Future<JsonObject> complete(UpstreamCall call);

  /**
   * Streaming call. Every SSE data payload except {@code [DONE]} is handed to {@code onData} as raw JSON text, in order,
   * on the call's context. Succeeds when the response ends (or right after {@code [DONE]}); a stream that ends without
   * {@code [DONE]} after at least one chunk succeeds with {@code sawDone=false}. If the body lacks {@code stream: true},
   * a copy with it is sent.
   */
  Future<StreamResult> stream(UpstreamCall call, Handler<String> onData);

  /** Closes the pooled connections. */
  Future<Void> close();
}
