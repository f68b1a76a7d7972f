package io.openfusion.router.passthrough;

import io.openfusion.router.RunResult;
import io.openfusion.router.recipe.KeyCheck;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.TokenCeilings;
import io.openfusion.router.stream.ClientStream;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.calls.Retries;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.chat.Usages;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.upstream.UpstreamFailures;
import io.openfusion.shared.sse.SseFrames;
import io.openfusion.shared.telemetry.Phase;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Sends a request to one model and relays its answer unchanged: chunk by chunk when streamed, the
 * upstream's JSON verbatim otherwise.
 *
 * <p>Rate limits (429) and brief unavailability (503) are retried within the deadline, honouring
 * {@code Retry-After}. A {@code models: [...]} list works like OpenRouter's: when a model fails before
 * its first chunk, the next one is tried, and the response's {@code model} says who answered. Errors
 * before the first chunk keep the upstream's status (502 when it answered 2xx but reported an error or
 * cut its stream); after it, the stream ends with an error chunk and {@code [DONE]}. The provider's
 * own error payload is never relayed as a chunk.
 */
public final class PassThrough {

  /** Most fallback models a request may list, to bound the calls one request can make. */
  public static final int MAX_FALLBACKS = 8;

  private final Vertx vertx;
  private final OpenFusionConfig config;
  private final UpstreamClient client;
  private final Telemetry telemetry;

  public PassThrough(Vertx vertx, OpenFusionConfig config, UpstreamClient client, Telemetry telemetry) {
    this.vertx = vertx;
    this.config = config;
    this.client = client;
    this.telemetry = telemetry;
  }

  /**
   * @param target the upstream to call first: the client's model on the pass-through credentials, a
   *               route model the Auto Router chose, or the configured pass-through model
   * @param runtimeKey the caller's playground key, for upstreams the config left without one (or null)
   */
  public Future<RunResult> run(ChatCommand command, Recipe recipe, UpstreamRef target, Future<Void> cancel,
                               String runtimeKey, ClientStream stream) {
    return run(command, recipe, target, cancel, runtimeKey, stream, null);
  }

  /** @param trace the run's span, the parent of each attempt's (null when the node has no traces) */
  public Future<RunResult> run(ChatCommand command, Recipe recipe, UpstreamRef target, Future<Void> cancel,
                               String runtimeKey, ClientStream stream, TraceHeaders trace) {
    List<UpstreamConfig> candidates = new ArrayList<>();
    JsonObject body = command.body().copy();
    try {
      List<String> models = candidates(target.model(), body.remove("models"));
      for (int i = 0; i < models.size(); i++) {
        UpstreamRef ref = i == 0 ? target : new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, models.get(i), "pass-through");
        UpstreamConfig upstream = ref.resolve(config);
        upstream = upstream == null ? null : upstream.withApiKeyIfMissing(runtimeKey);
        if (upstream == null) {
          throw ApiError.of(ErrorCode.UPSTREAM_ERROR, "No pass-through upstream is configured; add 'pass_through' or a panel member to the config");
        }
        KeyCheck.require(upstream);
        candidates.add(upstream);
      }
      TokenCeilings.reject(body, recipe.ceilings().passThroughMaxTokens(), "pass_through");
    } catch (ApiError rejected) {
      return Future.failedFuture(rejected);
    }
    return attempt(command, body, candidates, 0, stream, cancel, trace);
  }

  // recursion depth is bounded by MAX_FALLBACKS
  private Future<RunResult> attempt(ChatCommand command, JsonObject body, List<UpstreamConfig> candidates, int index,
                                    ClientStream stream, Future<Void> cancel, TraceHeaders trace) {
    UpstreamConfig upstream = candidates.get(index);
    JsonObject upstreamBody = body.copy().put("model", upstream.model()).put("stream", command.stream());
    // the call stops when the client leaves, and when the api stops taking its stream
    Future<Void> stop = stream == null ? cancel : Future.any(cancel, stream.gone().transform(gone -> Future.succeededFuture()))
      .mapEmpty();
    UpstreamCall call = new UpstreamCall(upstream.baseUrl(), upstream.apiKey(), upstreamBody, command.deadline(), stop,
      "pass-through", upstream.provider());
    Future<RunResult> result = Retries.withRetries(vertx, command.deadline(), cancel,
      () -> stream == null ? buffered(call, command.requestId(), trace) : streamed(call, stream, command.requestId(), trace));
    return result.recover(failure -> {
      boolean nothingSent = stream == null || !stream.started();
      if (nothingSent && index + 1 < candidates.size() && !cancel.isComplete()) {
        return attempt(command, body, candidates, index + 1, stream, cancel, trace);
      }
      ApiError error = UpstreamFailures.toApiError(failure);
      if (nothingSent) {
        return Future.failedFuture(error);
      }
      return stream.fail(error).map(delivered -> RunResult.streamFailed(null, error));
    });
  }

  private Future<RunResult> buffered(UpstreamCall call, String requestId, TraceHeaders trace) {
    return telemetry.complete(client, call, Phase.PASS_THROUGH, requestId, trace)
      .map(response -> RunResult.answered(response, Usages.fromJson(Json.object(response, "usage"))));
  }

  /**
   * Relays the upstream's chunks as they come, at the client's pace: while the client's stream is full, the upstream
   * response is paused. The upstream client checks each chunk first, so a payload reporting an error is never relayed,
   * and a stream only succeeds when it ended with its terminator. Once a chunk went out, a failure is no longer retried
   * (the client would get the answer twice): it ends the stream instead.
   */
  private Future<RunResult> streamed(UpstreamCall call, ClientStream stream, String requestId, TraceHeaders trace) {
    return telemetry.stream(client, call, stream::writeData, stream, Phase.PASS_THROUGH, requestId, trace)
      .compose(result -> {
        stream.write(SseFrames.done());
        return stream.end(true).map(delivered -> RunResult.streamed(Usages.fromJson(result.usage()), false));
      }, failure -> Future.<RunResult>failedFuture(stream.started() ? UpstreamFailures.toApiError(failure) : failure));
  }

  /** The requested model first (null = the configured one), then the client's fallbacks, each once. */
  private static List<String> candidates(String model, Object fallbacks) {
    LinkedHashSet<String> models = new LinkedHashSet<>();
    models.add(model);
    if (fallbacks != null) {
      if (!(fallbacks instanceof JsonArray list)) {
        throw ApiError.of(ErrorCode.INVALID_PARAMETER, "models must be an array of model ids");
      }
      for (Object id : list) {
        if (!(id instanceof String s) || s.isBlank()) {
          throw ApiError.of(ErrorCode.INVALID_PARAMETER, "models must contain model id strings");
        }
        models.add(s.strip());
      }
      if (models.size() > MAX_FALLBACKS + 1) {
        throw ApiError.of(ErrorCode.INVALID_PARAMETER, "models may list at most " + MAX_FALLBACKS + " fallbacks");
      }
    }
    return new ArrayList<>(models);
  }
}
