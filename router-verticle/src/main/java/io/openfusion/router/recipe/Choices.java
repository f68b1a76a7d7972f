package io.openfusion.router.recipe;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * A request's {@code n}, the number of choices it asks for. A fusion writes one synthesized answer, and forwarding
 * {@code n} to every panel member would multiply their cost for answers nobody reads, so a fused request takes
 * {@code n: 1} only; a pass-through forwards {@code n}, and its reservation counts every choice.
 */
public final class Choices {

  private Choices() {
  }

  /** @return the requested number of choices, 1 when absent (the api has checked it is a positive integer) */
  public static long of(JsonObject body) {
    return body != null && body.getValue("n") instanceof Number n ? Math.max(1, n.longValue()) : 1;
  }

  /** @throws ApiError 400 {@code invalid_parameter} when a fused request asks for more than one choice */
  public static void requireOne(JsonObject body, String fusionModel) {
    long n = of(body);
    if (n != 1) {
      throw ApiError.of(ErrorCode.INVALID_PARAMETER, "n must be 1 for model '" + fusionModel
        + "': a fusion returns one synthesized answer. Omit n, or call a model directly for " + n + " choices");
    }
  }
}
