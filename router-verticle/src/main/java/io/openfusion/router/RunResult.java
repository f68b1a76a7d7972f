package io.openfusion.router;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.telemetry.Outcome;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How one routed request ended, for its settlement, its metrics and what the Auto Router learns. A streamed request's
 * frames, its ending included, have gone to the client by the time its result exists.
 *
 * @param body   a non-streamed request's {@code chat.completion}; null for a stream
 * @param usage  what the run's upstream calls reported, or null
 * @param error  whether the run ended with an error the client saw (a stream that ended with an error chunk)
 * @param cached whether the answer came from the response cache (it cost nothing)
 * @param report a fused or pipeline run's usage report per call ({@code panel}, {@code judge}, {@code ranker},
 *               {@code steps}), or null
 * @param failure the error object a stream ended with ({@code message}, {@code type}, {@code code}), or null
 */
public record RunResult(JsonObject body, JsonObject usage, boolean error, boolean cached, JsonObject report,
                        JsonObject failure) {

  public RunResult(JsonObject body, JsonObject usage, boolean error, boolean cached) {
    this(body, usage, error, cached, null, null);
  }

  /** A stream that ended with {@code failure}'s error chunk after its first frame. */
  public static RunResult streamFailed(JsonObject usage, ApiError failure) {
    return new RunResult(null, usage, true, false, null, failure.errorObject());
  }

  public static RunResult streamed(JsonObject usage, boolean error) {
    return new RunResult(null, usage, error, false);
  }

  public static RunResult answered(JsonObject body, JsonObject usage) {
    return new RunResult(body, usage, false, false);
  }

  public RunResult asCached() {
    return new RunResult(body, usage, error, true, report, failure);
  }

  /** This result with the run's usage report per call. */
  public RunResult withReport(JsonObject report) {
    return new RunResult(body, usage, error, cached, report, failure);
  }

  /** An error when the run failed or ended with an error, cancelled when the client left first. */
  public static Outcome outcome(AsyncResult<RunResult> done, Future<Void> cancel) {
    if (cancel != null && cancel.isComplete()) {
      return Outcome.CANCELLED;
    }
    return done.failed() || done.result() == null || done.result().error() ? Outcome.ERROR : Outcome.SUCCESS;
  }
}
