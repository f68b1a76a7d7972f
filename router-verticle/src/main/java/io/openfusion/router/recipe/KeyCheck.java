package io.openfusion.router.recipe;

import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;


/** Fails fast, before any call, when an upstream that needs a key has none (see {@link UpstreamConfig#missingKey()}). */
public final class KeyCheck {

  private KeyCheck() {
  }

  public static void require(UpstreamConfig upstream) {
    if (upstream != null && upstream.missingKey()) {
      throw ApiError.of(ErrorCode.NO_API_KEY,
        "No upstream API key configured. Add one in the playground or set OPENROUTER_API_KEY.");
    }
  }
}
