package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.config.Provider;
import io.openfusion.shared.upstream.UpstreamCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * What differs between the upstream wire protocols: the path, the credentials header, and how bodies and events are
 * translated to and from the OpenAI shapes callers use. Timeouts, limits, error bodies and SSE framing are shared and
 * stay in {@link HttpUpstreamClient}.
 */
interface Dialect {

  static Dialect of(Provider provider) {
    return provider == Provider.ANTHROPIC ? AnthropicDialect.INSTANCE : OpenAiDialect.INSTANCE;
  }

  /** @return appended to the base URL, e.g. {@code /chat/completions} */
  String path();

  /** Adds the credentials (and any protocol headers) for {@code call}. */
  void headers(RequestOptions request, UpstreamCall call);

  /** @return the request body for the caller's OpenAI {@code body}, which is not modified */
  Buffer requestBody(JsonObject body, boolean streaming);

  /** @return the upstream's 2xx JSON answer as an OpenAI {@code chat.completion} */
  JsonObject completion(JsonObject response);

  /** @return a fresh translator for one stream of {@code call} */
  EventTranslator events(UpstreamCall call);
}
