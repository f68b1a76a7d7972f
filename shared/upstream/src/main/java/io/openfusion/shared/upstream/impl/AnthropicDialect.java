package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.anthropic.AnthropicRequests;
import io.openfusion.shared.upstream.anthropic.AnthropicResponses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic Messages ({@code POST /messages}): the key goes in {@code x-api-key} (never {@code Authorization}), and
 * every body and event is translated by the {@code upstream.anthropic} mappers.
 */
final class AnthropicDialect implements Dialect {

  static final AnthropicDialect INSTANCE = new AnthropicDialect();

  static final String PATH = "/messages";
  static final String VERSION = "2023-06-01";

  private AnthropicDialect() {
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public void headers(RequestOptions request, UpstreamCall call) {
    request.putHeader("anthropic-version", VERSION);
    if (call.hasApiKey()) {
      request.putHeader("x-api-key", call.apiKey().trim());
    }
  }

  @Override
  public Buffer requestBody(JsonObject body, boolean streaming) {
    return BodyEncoder.encode(AnthropicRequests.fromOpenAi(body, streaming));
  }

  @Override
  public JsonObject completion(JsonObject response) {
    return AnthropicResponses.toOpenAi(response, System.currentTimeMillis() / 1000);
  }

  @Override
  public EventTranslator events(UpstreamCall call) {
    return new AnthropicEvents(call.apiKey());
  }
}
