package io.openfusion.shared.sse;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.openfusion.shared.chat.Completions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * Frames the content chunks of one streamed completion, whose id, created and model never change, straight to
 * bytes: the same bytes as {@code SseFrames.data(Completions.chunk(id, created, model, delta, null).encode())}, but
 * without a JSON tree per token. The fixed parts are encoded once, by that same code path; only the escaped text
 * changes from chunk to chunk.
 */
public final class ChunkFrames {

  private static final String DELTA = "\"delta\":{";
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ROLE = "\"role\":\"assistant\",".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] QUOTE = {'"'};
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  /** {@code {"id":...,"model":...,"choices":[{"index":0,"delta":{} */
  private final byte[] head;
  /** {@code },"finish_reason":null}]}} */
  private final byte[] tail;

  public ChunkFrames(String id, long created, String model) {
    String empty = Completions.chunk(id, created, model, new JsonObject(), null).encode();
    // the last match is the real field: an id or model containing the same text would have its quotes escaped
    int at = empty.lastIndexOf(DELTA + "}") + DELTA.length();
    this.head = empty.substring(0, at).getBytes(StandardCharsets.UTF_8);
    this.tail = empty.substring(at).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @param withRole whether the delta also says {@code "role":"assistant"} (the stream's first content chunk)
   * @return {@code data: {..."delta":{"role":"assistant","content":"<text>"}...}\n\n}
   */
  public Buffer content(String text, boolean withRole) {
    // Jackson's own string escaping, so the bytes match what the JSON codec writes
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    Buffer frame = Buffer.buffer(DATA.length + head.length + ROLE.length + CONTENT.length + escaped.length + 1
      + tail.length + END.length);
    frame.appendBytes(DATA).appendBytes(head);
    if (withRole) {
      frame.appendBytes(ROLE);
    }
    return frame.appendBytes(CONTENT).appendBytes(escaped).appendBytes(QUOTE).appendBytes(tail).appendBytes(END);
  }
}
