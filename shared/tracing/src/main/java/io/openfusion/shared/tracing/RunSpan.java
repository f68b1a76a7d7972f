package io.openfusion.shared.tracing;

import io.openfusion.shared.bus.TraceHeaders;
import io.vertx.core.json.JsonObject;

/**
 * The span of one client request's run on the router: fusion, pipeline or pass-through, from the moment the router
 * takes it until its answer (a stream: its last byte) is delivered. Every upstream call of the run, on whichever node,
 * is its child. {@link #NONE} while tracing is off: every method does nothing, so the router calls them unguarded.
 */
public interface RunSpan {

  /** The run of a node without tracing: records nothing, costs nothing. */
  RunSpan NONE = new RunSpan() {
  };

  /** @return whether this span records anything (false for {@link #NONE}): guard work done only to describe it */
  default boolean recording() {
    return false;
  }

  /** @return what the run's calls carry so their spans join this one; null for {@link #NONE} */
  default TraceHeaders headers() {
    return null;
  }

  /** @return the run's trace id for its log lines, or null */
  default String traceId() {
    return null;
  }

  /** @return this span's id for its log lines, or null */
  default String spanId() {
    return null;
  }

  /** How the request is answered: {@code fusion}, {@code pipeline} or {@code pass_through}; names the span. */
  default void route(String route) {
  }

  /** The recipe's strategy and aggregator. */
  default void recipe(String strategy, String aggregator) {
  }

  /** The model a pass-through (or the Auto Router's solo answer) goes to. */
  default void target(String model) {
  }

  /** Why the Auto Router fused or not ({@code heuristic:short}, {@code classifier:fuse}, ...). */
  default void autoRouter(String reason) {
  }

  /** Whether the response cache answered. */
  default void cached(boolean hit) {
  }

  /**
   * One panel member's outcome as the router gathered it: an event on the span, and a cut straggler is listed in
   * {@code openfusion.panel.cut}.
   *
   * @param error the error code when it failed, else null
   */
  default void member(String label, boolean ok, boolean cut, String error) {
  }

  /** The run answered otherwise than its recipe says ({@code judge_failed}: the best panel answer instead). */
  default void fallback(String reason) {
  }

  /**
   * Ends the span, once.
   *
   * @param outcome {@code success}, {@code error} or {@code cancelled}
   * @param usage   the run's usage, or null
   * @param error   the error code the client got, or null
   */
  default void end(String outcome, JsonObject usage, String error) {
  }
}
