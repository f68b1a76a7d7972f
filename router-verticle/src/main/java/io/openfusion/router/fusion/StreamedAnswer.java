package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.router.stream.ClientStream;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.sse.ChunkFrames;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A fused answer as the client's stream: OpenAI chunks under the response's own id and model, progress as named events
 * or SSE comments as the client asked, the standard usage chunk when it set {@code stream_options.include_usage}, and
 * exactly one ending.
 */
final class StreamedAnswer implements AnswerSink {

  private final ClientStream stream;
  private final String id = Completions.newId();
  private final long created = Completions.nowSeconds();
  private final String model;
  private final boolean namedEvents;
  private final boolean includeUsage;
  private final ChunkFrames chunks;
  /** The text written so far, kept only when the run stores its answer; null otherwise. */
  private final StringBuilder text;
  private JsonObject analysis;
  private boolean fellBack;
  private boolean roleSent;

  StreamedAnswer(ClientStream stream, ChatCommand command, String model, boolean keepText) {
    this.stream = stream;
    this.text = keepText ? new StringBuilder() : null;
    this.model = model;
    this.namedEvents = command.events();
    JsonObject options = Json.object(command.body(), "stream_options");
    this.includeUsage = options != null && Boolean.TRUE.equals(options.getValue("include_usage"));
    this.chunks = new ChunkFrames(id, created, model);
  }

  @Override
  public void progress(String event, JsonObject payload) {
    stream.write(namedEvents ? SseFrames.event(event, payload.encode()) : SseFrames.comment(event + " " + payload.encode()));
  }

  @Override
  public void text(String piece) {
    if (piece.isEmpty()) {
      return;
    }
    if (text != null) {
      text.append(piece);
    }
    stream.write(chunks.content(piece, !roleSent));
    roleSent = true;
  }

  @Override
  public String textSoFar() {
    if (text == null) {
      throw new IllegalStateException("this stream keeps no text: make it with keepText to read it back");
    }
    return text.toString();
  }

  @Override
  public JsonObject analysis() {
    return analysis;
  }

  @Override
  public boolean fellBack() {
    return fellBack;
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public boolean answerStarted() {
    return roleSent;
  }

  @Override
  public void discardUnsent() {
    // written text is on its way to the client: there is nothing unsent to drop
  }

  @Override
  public boolean clientGone() {
    return stream.gone().isComplete();
  }

  @Override
  public boolean full() {
    return stream.full();
  }

  @Override
  public void whenReady(Runnable ready) {
    stream.whenReady(ready);
  }

  @Override
  public Future<RunResult> complete(String finishReason, JsonObject analysis, JsonObject usageReport, JsonObject total,
                                    JsonObject extras) {
    this.analysis = analysis;
    this.fellBack = extras.containsKey("fallback");
    // an empty content rather than an empty delta: some clients read the last chunk's text and choke on a missing one
    stream.writeData(Completions.chunk(id, created, model, new JsonObject().put("content", ""),
      finishReason == null ? "stop" : finishReason).encode());
    if (analysis != null) {
      progress("analysis", analysis);
    }
    if (total != null) {
      if (usageReport != null) {
        progress("usage", usageReport);
      }
      if (includeUsage) {
        stream.writeData(Completions.chunk(id, created, model, new JsonObject(), null)
          .put("choices", new JsonArray()).put("usage", total).encode());
      }
    }
    stream.write(SseFrames.done());
    RunResult result = RunResult.streamed(total, false).withReport(usageReport);
    return stream.end(true).map(delivered -> Boolean.TRUE.equals(extras.getValue("cached")) ? result.asCached() : result);
  }

  @Override
  public Future<RunResult> fail(ApiError error, JsonObject usage) {
    if (!stream.started()) {
      return Future.failedFuture(error);
    }
    return stream.fail(error).map(delivered -> RunResult.streamFailed(usage, error));
  }
}
