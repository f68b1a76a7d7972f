package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.UpstreamCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** OpenAI chat completions: the caller's shapes are the wire shapes, so bodies and events pass through as they are. */
final class OpenAiDialect implements Dialect {

  static final OpenAiDialect INSTANCE = new OpenAiDialect();

  /** Stateless, so one instance serves every stream. */
  private static final EventTranslator EVENTS = event -> event.isDone()
      ? EventTranslator.Step.DONE
      : new EventTranslator.Step(List.of(event.data()), false, false);

  private OpenAiDialect() {
  }

  @Override
  public String path() {
    return Endpoint.PATH;
  }

  @Override
  public void headers(RequestOptions request, UpstreamCall call) {
    if (call.hasApiKey()) {
      request.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + call.apiKey().trim());
    }
  }

  @Override
  public Buffer requestBody(JsonObject body, boolean streaming) {
    return RequestBodies.encode(body, streaming);
  }

  @Override
  public JsonObject completion(JsonObject response) {
    return response;
  }

  @Override
  public EventTranslator events(UpstreamCall call) {
    return EVENTS;
  }
}
