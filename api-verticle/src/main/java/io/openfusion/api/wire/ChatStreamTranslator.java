package io.openfusion.api.wire;

import io.openfusion.api.chat.StreamTranslator;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a chat-completions stream into the few things the Responses and Messages streams are made of, and leaves the
 * bytes to a subclass: the stream starts (on its first frame, whatever it is), a text block opens, grows and closes, a
 * tool call opens, its arguments grow, it closes, the stream is done (with the finish reason and usage) or failed.
 * Blocks never overlap: a new one closes the one before, as both target formats expect.
 *
 * <p>Progress comments are dropped; openfusion's usage report, panel answers and analysis are gathered into
 * {@link #extras()} for the final object; the relay's {@code : keep-alive} becomes {@link #onHeartbeat()}.
 * Upstreams stream each tool call whole before the next (OpenAI, vLLM, llama.cpp and Ollama all do): a piece of
 * arguments for a call already closed cannot be placed in either format and is dropped.
 */
public abstract class ChatStreamTranslator implements StreamTranslator {

  private final SseFrameReader reader = new SseFrameReader();
  private final FusionExtras extras = new FusionExtras();
  private final Map<Integer, ToolCall> tools = new TreeMap<>();
  private Buffer out;
  private boolean started;
  private boolean ended;
  /** The open block: TEXT, a tool call, or null. */
  private Object open;
  private String finishReason;
  private String stopReason;
  private JsonObject usage;

  private static final Object TEXT = new Object();

  @Override
  public final Buffer translate(Buffer chat) {
    if (ended) {
      return Buffer.buffer();
    }
    out = Buffer.buffer();
    for (SseFrameReader.Frame frame : reader.read(chat)) {
      if (ended) {
        break;
      }
      frame(frame);
    }
    Buffer written = out;
    out = null;
    return written;
  }

  @Override
  public final boolean ended() {
    return ended;
  }

  /** Usage report, panel answers and analysis seen so far, and the usage once known. */
  protected final FusionExtras extras() {
    return extras;
  }

  /** The chat finish reason once it came (it arrives before the blocks are closed), else null. */
  protected final String finishReason() {
    return finishReason;
  }

  /** Appends a frame to what this piece of the chat stream turns into. */
  protected final void emit(Buffer frame) {
    out.appendBuffer(frame);
  }

  /** Appends {@code event: <name>} with {@code data}. */
  protected final void emit(String event, JsonObject data) {
    emit(SseFrames.event(event, data.encode()));
  }

  /** @param model the model the chat stream names in its first chunk, or null when it began with a comment */
  protected abstract void onStart(String model);

  protected abstract void onTextStart();

  protected abstract void onText(String delta);

  protected abstract void onTextEnd();

  protected abstract void onToolStart(String callId, String name);

  protected abstract void onToolArguments(String delta);

  protected abstract void onToolEnd();

  /** The relay's keep-alive, every 15 s of a quiet stream. */
  protected abstract void onHeartbeat();

  /**
   * The chat stream ended normally; every block is closed.
   *
   * @param finishReason the chat finish reason (null if none came)
   * @param stopReason   the stop sequence that ended the answer, when the upstream said (vLLM's {@code stop_reason})
   * @param usage        the chat usage, or null
   */
  protected abstract void onDone(String finishReason, String stopReason, JsonObject usage);

  /** The chat stream failed with {@code {"message","type","code"}}; nothing follows. */
  protected abstract void onError(JsonObject error);

  private void frame(SseFrameReader.Frame frame) {
    if (frame.data() == null) {
      start(null);
      if ("keep-alive".equals(frame.comment())) {
        onHeartbeat();
      } else {
        extras.comment(frame.comment());
      }
      return;
    }
    if (frame.event() != null) {
      start(null);
      extras.event(frame.event(), frame.data());
      return;
    }
    if ("[DONE]".equals(frame.data())) {
      start(null);
      done();
      return;
    }
    JsonObject json;
    try {
      json = new JsonObject(frame.data());
    } catch (DecodeException | ClassCastException notAnObject) {
      return;
    }
    start(json.getValue("model") instanceof String m ? m : null);
    if (json.getValue("error") instanceof JsonObject error) {
      ended = true;
      onError(error);
      return;
    }
    chunk(json);
  }

  private void start(String model) {
    if (!started) {
      started = true;
      onStart(model);
    }
  }

  private void chunk(JsonObject chunk) {
    if (chunk.getValue("usage") instanceof JsonObject u) {
      usage = u;
      extras.usage(u);
    }
    if (!(chunk.getValue("choices") instanceof JsonArray choices)) {
      return;
    }
    for (Object c : choices) {
      // one choice is asked for; a stray other index has no place in either format
      if (c instanceof JsonObject choice && (choice.getValue("index") == null || choice.getValue("index") instanceof Number n && n.intValue() == 0)) {
        choice(choice);
      }
    }
  }

  private void choice(JsonObject choice) {
    if (choice.getValue("delta") instanceof JsonObject delta) {
      if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
        text(text);
      }
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (int i = 0; i < calls.size(); i++) {
          if (calls.getValue(i) instanceof JsonObject call) {
            toolCall(call, i);
          }
        }
      }
    }
    if (choice.getValue("finish_reason") instanceof String reason) {
      finishReason = reason;
      closeAll();
    }
    if (choice.getValue("stop_reason") instanceof String stop) {
      stopReason = stop;
    }
  }

  private void text(String delta) {
    if (open != TEXT) {
      close();
      onTextStart();
      open = TEXT;
    }
    onText(delta);
  }

  private void toolCall(JsonObject call, int position) {
    int index = call.getValue("index") instanceof Number n ? n.intValue() : position;
    ToolCall tool = tools.computeIfAbsent(index, i -> new ToolCall());
    if (tool.closed) {
      return;
    }
    if (tool.id == null && call.getValue("id") instanceof String id && !id.isEmpty()) {
      tool.id = id;
    }
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (tool.name == null && function.getValue("name") instanceof String name && !name.isEmpty()) {
      tool.name = name;
    }
    String arguments = function.getValue("arguments") instanceof String a ? a : "";
    tool.pending.append(arguments);
    if (!tool.opened && tool.name != null) {
      openTool(tool);
    }
    if (tool.opened && open == tool && !tool.pending.isEmpty()) {
      String piece = tool.pending.toString();
      tool.pending.setLength(0);
      onToolArguments(piece);
    }
  }

  private void openTool(ToolCall tool) {
    close();
    tool.opened = true;
    if (tool.id == null) {
      tool.id = Ids.random("call_");
    }
    onToolStart(tool.id, tool.name == null ? "" : tool.name);
    open = tool;
  }

  private void close() {
    if (open == TEXT) {
      onTextEnd();
    } else if (open instanceof ToolCall tool) {
      tool.closed = true;
      onToolEnd();
    }
    open = null;
  }

  /** Closes the open block and opens, fills and closes calls whose name never came, so their arguments are kept. */
  private void closeAll() {
    close();
    for (ToolCall tool : tools.values()) {
      if (!tool.opened) {
        openTool(tool);
        if (!tool.pending.isEmpty()) {
          onToolArguments(tool.pending.toString());
          tool.pending.setLength(0);
        }
        close();
      }
    }
  }

  private void done() {
    closeAll();
    ended = true;
    onDone(finishReason, stopReason, usage);
  }

  private static final class ToolCall {
    private String id;
    private String name;
    private final StringBuilder pending = new StringBuilder();
    private boolean opened;
    private boolean closed;
  }
}
