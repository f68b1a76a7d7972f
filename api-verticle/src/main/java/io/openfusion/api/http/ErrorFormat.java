package io.openfusion.api.http;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.json.JsonObject;

/** The error body an API's clients expect; OpenAI's envelope unless a route chooses another. */
@FunctionalInterface
public interface ErrorFormat {

  /** OpenAI's {@code {"error": {"message","type","code"}}}. */
  ErrorFormat OPENAI = ApiError::toJson;

  JsonObject body(ApiError error);
}
