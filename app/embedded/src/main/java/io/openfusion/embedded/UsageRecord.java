package io.openfusion.embedded;

import java.util.List;

/**
 * What one request spent, handed to the {@link UsageListener} exactly once after it ended, on success and on failure.
 *
 * @param requestId the request's id ({@code X-Request-Id})
 * @param callerId  the caller, as {@link Caller#id()}
 * @param recipe    the registered recipe it ran, or null for the base recipe (or when it failed before one was chosen)
 * @param endpoint  the API called: {@code chat.completions}, {@code responses} or {@code messages}
 * @param route     how it was answered
 * @param streamed  whether the client asked for a stream
 * @param outcome   how it ended
 * @param errorCode the stable OpenAI error code the client got ({@code panel_error}, {@code recipe_unavailable}...), as
 *                  the HTTP error or as the error chunk that ended its stream; null on success
 * @param calls     the upstream calls that reported usage, in the order panel, steps, ranker, judge (fusion) or the
 *                  one pass-through call
 * @param total     everything the request used; {@link Usage#NONE} for an answer replayed from the response cache or a
 *                  request refused before any upstream call
 */
public record UsageRecord(String requestId, String callerId, String recipe, String endpoint, Route route,
                          boolean streamed, Outcome outcome, String errorCode, List<CallUsage> calls, Usage total) {

  /** How a request was answered. */
  public enum Route {
    /** The recipe's panel and judge (or vote, or ranker). */
    FUSION,
    /** The recipe's pipeline of steps. */
    PIPELINE,
    /** One model, its answer relayed as it came. */
    PASS_THROUGH,
    /** Refused before a route was chosen (invalid request, no recipe, limits). */
    NONE
  }

  /** How a request ended. */
  public enum Outcome {
    SUCCESS,
    /** The client got an error: an HTTP error status, or an error chunk that ended its stream. */
    ERROR,
    /** The client went away before the answer was complete. */
    CANCELLED
  }
}
