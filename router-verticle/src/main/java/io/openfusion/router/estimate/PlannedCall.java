package io.openfusion.router.estimate;

import io.vertx.core.json.JsonObject;

/**
 * One upstream call an estimated run would make, at its largest.
 *
 * @param model   the model id called (null when the config cannot say, e.g. no pass-through)
 * @param baseUrl the upstream root whose {@code /models} prices it, null when unknown
 * @param phase   {@code router}, {@code panel}, {@code debate}, {@code judge}, {@code ranker} or
 *                {@code solo} (a pipeline solo step)
 * @param step    the pipeline step name, null outside a pipeline
 * @param round   the debate round (1-based), null outside debate revisions
 */
record PlannedCall(String model, String baseUrl, String phase, String step, Integer round,
                   long inputTokens, long outputTokens) {

  static PlannedCall of(Target target, String phase, long inputTokens, long outputTokens) {
    return new PlannedCall(target.model(), target.baseUrl(), phase, null, null, inputTokens, outputTokens);
  }

  PlannedCall inStep(String name) {
    return new PlannedCall(model, baseUrl, phase, name, round, inputTokens, outputTokens);
  }

  PlannedCall inRound(int number) {
    return new PlannedCall(model, baseUrl, phase, step, number, inputTokens, outputTokens);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("model", model).put("phase", phase);
    if (step != null) {
      json.put("step", step);
    }
    if (round != null) {
      json.put("round", round);
    }
    return json.put("input_tokens", inputTokens).put("output_tokens", outputTokens);
  }

  /** Which model, at which upstream. */
  record Target(String model, String baseUrl) {
  }
}
