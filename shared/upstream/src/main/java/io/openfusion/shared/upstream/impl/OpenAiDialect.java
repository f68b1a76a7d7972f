package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.upstream.UpstreamCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** OpenAI chat completions: the caller's shapes are the wire shapes, so bodies and events pass through as they are. */
final class OpenAiDialect implements Dialect {

  static final OpenAiDialect INSTANCE = new OpenAiDialect();

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
    return new Events(call.apiKey());
  }

  /**
   * Data payloads go on as they are; an SSE message named {@code error} (Groq sends its mid-stream failures so) fails
   * the call whatever its data, so it never reaches the caller as content.
   */
  private record Events(String apiKey) implements EventTranslator {

    private static final String ERROR_EVENT = "error";

    @Override
    public Step translate(SseEvent event) {
      if (ERROR_EVENT.equals(event.event())) {
        throw InBandErrors.ofErrorEvent(event.data(), apiKey);
      }
      return event.isDone() ? Step.DONE : new Step(List.of(event.data()), false, false);
    }

    @Override
    public String terminator() {
      return "[DONE]";
    }
  }
}
