package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.anthropic.AnthropicStream;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Adapts an {@link AnthropicStream} to the SSE reader: parses each event's JSON, names it from the {@code event:}
 * field when the payload lacks a {@code type}, and masks the key in in-band error messages.
 */
final class AnthropicEvents implements EventTranslator {

  private final AnthropicStream stream = new AnthropicStream(System.currentTimeMillis() / 1000);
  private final String apiKey;

  AnthropicEvents(String apiKey) {
    this.apiKey = apiKey;
  }

  @Override
  public Step translate(SseEvent event) {
    if (event.isDone()) {
      return Step.DONE;
    }
    if (event.data().isBlank()) {
      return Step.NOTHING;
    }
    JsonObject json;
    try {
      json = new JsonObject(event.data());
    } catch (RuntimeException e) {
      throw UpstreamErrors.invalidSse();
    }
    if (!json.containsKey("type") && event.event() != null) {
      json.put("type", event.event());
    }
    List<JsonObject> chunks;
    try {
      chunks = stream.translate(json);
    } catch (UpstreamException e) {
      throw UpstreamErrors.masked(e, apiKey);
    }
    List<String> payloads = new ArrayList<>(chunks.size());
    for (JsonObject chunk : chunks) {
      payloads.add(chunk.encode());
    }
    return new Step(payloads, stream.generating(), stream.finished());
  }
}
