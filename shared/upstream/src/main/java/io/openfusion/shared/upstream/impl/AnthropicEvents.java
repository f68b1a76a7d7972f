package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.anthropic.AnthropicStream;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Adapts an {@link AnthropicStream} to the SSE reader: parses each event's JSON, names it from the {@code event:}
 * field when the payload lacks a {@code type} (an SSE message named {@code error} is always an error event), and masks
 * the key in in-band error messages.
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
    boolean errorEvent = "error".equals(event.event());
    if (event.data().isBlank() && !errorEvent) {
      return Step.NOTHING;
    }
    JsonObject json;
    try {
      json = new JsonObject(event.data());
    } catch (RuntimeException e) {
      throw errorEvent ? InBandErrors.ofErrorEvent(event.data(), apiKey) : UpstreamErrors.invalidSse();
    }
    if (errorEvent) {
      // an error event is an error whatever its payload says it is
      json.put("type", "error");
    } else if (!json.containsKey("type") && event.event() != null) {
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

  @Override
  public String terminator() {
    return "message_stop";
  }
}
