package io.openfusion.router.fusion;

import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.StreamSink;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * The frames one fused response writes to the client's api instance: named events, content chunks
 * under the response's own id and model, and exactly one ending. For non-streamed requests every
 * method is a no-op, so the run's logic reads the same either way.
 */
final class FusionStream {

  private final StreamSink sink;
  private final String id = Completions.newId();
  private final long created = Completions.nowSeconds();
  private final String model;
  private final boolean namedEvents;
  private final boolean includeUsage;
  private boolean roleSent;

  FusionStream(EventBus eventBus, ChatCommand command, String model) {
    this.sink = command.stream() ? new StreamSink(eventBus, command.streamTo(), command.requestId(), 0) : null;
    this.model = model;
    this.namedEvents = command.events();
    JsonObject options = Json.object(command.body(), "stream_options");
    this.includeUsage = options != null && Boolean.TRUE.equals(options.getValue("include_usage"));
  }

  boolean streaming() {
    return sink != null;
  }

  String id() {
    return id;
  }

  long created() {
    return created;
  }

  String model() {
    return model;
  }

  /** What another producer (the judge) needs to continue this stream. */
  JsonObject chunkMeta() {
    return new JsonObject().put("id", id).put("created", created).put("model", model);
  }

  int nextSeq() {
    return sink == null ? 0 : sink.nextSeq();
  }

  /** Continues after frames another producer sent; its first chunk carried the role. */
  void resumeAt(int seq, boolean producerSentContent) {
    if (sink != null) {
      sink.resumeAt(seq);
    }
    roleSent |= producerSentContent;
  }

  /** A named event, or the same as an SSE comment for clients that cannot take named events. */
  void event(String name, JsonObject payload) {
    if (sink != null) {
      sink.send(namedEvents ? SseFrames.event(name, payload.encode()) : SseFrames.comment(name + " " + payload.encode()));
    }
  }

  /**
   * The usage report: openfusion's {@code usage} event, and the standard OpenAI usage chunk
   * ({@code choices: []}) when the client asked for {@code stream_options.include_usage}.
   */
  void usage(JsonObject report, JsonObject total) {
    if (sink == null) {
      return;
    }
    event("usage", report);
    if (includeUsage && total != null) {
      JsonObject chunk = Completions.chunk(id, created, model, new JsonObject(), null);
      chunk.put("choices", new io.vertx.core.json.JsonArray()).put("usage", total);
      sink.sendData(chunk.encode());
    }
  }

  void content(String text) {
    if (sink == null || text.isEmpty()) {
      return;
    }
    JsonObject delta = new JsonObject();
    if (!roleSent) {
      delta.put("role", "assistant");
      roleSent = true;
    }
    sink.sendData(Completions.chunk(id, created, model, delta.put("content", text), null).encode());
  }

  /**
   * The terminal chunk. Its delta says {@code "content": ""} rather than nothing: clients that map every chunk to its
   * text (Spring AI 1.x's {@code stream(prompt).map(r -> r.getResult().getOutput().getText())}, frontends doing
   * {@code text += delta.content}) then get an empty string instead of a null that ends their stream with an error.
   */
  void finish(String reason) {
    if (sink != null) {
      sink.sendData(Completions.chunk(id, created, model, new JsonObject().put("content", ""), reason == null ? "stop" : reason)
        .encode());
    }
  }

  /** Ends the stream successfully, after the tail events. */
  JsonObject done() {
    sink.sendLast(SseFrames.done(), true);
    return frames();
  }

  /** Ends the stream with an error chunk and {@code [DONE]}. */
  JsonObject fail(ApiError error) {
    return fail(error.errorObject());
  }

  JsonObject fail(JsonObject errorObject) {
    sink.sendData(Completions.errorChunk(errorObject).encode());
    sink.sendLast(SseFrames.done(), false);
    return frames().put("error", true);
  }

  private JsonObject frames() {
    return new JsonObject().put("frames", sink.nextSeq());
  }
}
