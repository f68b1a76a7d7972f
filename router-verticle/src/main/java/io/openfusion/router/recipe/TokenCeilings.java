package io.openfusion.router.recipe;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * Applies a phase's output-token ceiling to a request body. Both {@code max_tokens} and
 * {@code max_completion_tokens} are bounded, so neither spelling can get around the ceiling.
 */
public final class TokenCeilings {

  private static final String[] FIELDS = {"max_tokens", "max_completion_tokens"};

  private TokenCeilings() {
  }

  /** Rejects a request over the ceiling; fills the ceiling in when the client set none. */
  public static void reject(JsonObject body, Integer ceiling, String phase) {
    if (ceiling == null) {
      return;
    }
    boolean set = false;
    for (String field : FIELDS) {
      if (body.getValue(field) instanceof Number n) {
        set = true;
        if (n.longValue() > ceiling) {
          throw ApiError.of(ErrorCode.MAX_TOKENS_EXCEEDS_LIMIT,
            field + " " + n.longValue() + " exceeds the configured " + phase + " limit " + ceiling
              + "; lower it or raise cost_controls." + phase + "_max_tokens");
        }
      }
    }
    if (!set) {
      body.put("max_tokens", ceiling);
    }
  }

  /** Lowers the request to the ceiling (panel members: the client never sees their output directly). */
  public static void clamp(JsonObject body, Integer ceiling) {
    if (ceiling == null) {
      return;
    }
    boolean set = false;
    for (String field : FIELDS) {
      if (body.getValue(field) instanceof Number n) {
        set = true;
        if (n.longValue() > ceiling) {
          body.put(field, ceiling);
        }
      }
    }
    if (!set) {
      body.put("max_tokens", ceiling);
    }
  }
}
