package io.openfusion.router;

import io.openfusion.shared.bus.StreamBatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A client stream read back as its grammar: every SSE frame becomes a {@link Frame} of one kind, so a spec can state
 * the shape of a stream ({@code progress+ content+ terminal usage done}) and read its parts.
 */
public final class ClientFrames {

  /** The kinds of frame a fused stream is made of. */
  public enum Kind { PROGRESS, CONTENT, TERMINAL, USAGE_CHUNK, ERROR, DONE }

  /**
   * @param name  the progress name ({@code progress}, {@code usage}, {@code panel_answer}, ...) of a comment or named
   *              event, else null
   * @param named whether a progress frame was a named event ({@code event: x}) rather than a comment
   * @param json  the frame's JSON (the chunk, the event's payload, the error chunk), null for {@code [DONE]}
   */
  public record Frame(Kind kind, String name, boolean named, JsonObject json) {

    /** A content chunk's text. */
    public String content() {
      return delta().getString("content");
    }

    public JsonObject delta() {
      return json.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    }

    public String finishReason() {
      return json.getJsonArray("choices").getJsonObject(0).getString("finish_reason");
    }
  }

  private final List<Frame> frames;

  private ClientFrames(List<Frame> frames) {
    this.frames = frames;
  }

  public static ClientFrames of(List<StreamBatch> parts) {
    return new ClientFrames(ApiPeer.frames(parts).stream().map(ClientFrames::read).toList());
  }

  private static Frame read(String frame) {
    if (frame.startsWith(": ")) {
      String text = frame.substring(2);
      int space = text.indexOf(' ');
      return new Frame(Kind.PROGRESS, text.substring(0, space), false, new JsonObject(text.substring(space + 1)));
    }
    if (frame.startsWith("event: ")) {
      String[] lines = frame.split("\n", 2);
      return new Frame(Kind.PROGRESS, lines[0].substring("event: ".length()), true,
        new JsonObject(lines[1].substring("data: ".length())));
    }
    String data = frame.substring("data: ".length());
    if (data.equals("[DONE]")) {
      return new Frame(Kind.DONE, null, false, null);
    }
    JsonObject json = new JsonObject(data);
    if (json.containsKey("error")) {
      return new Frame(Kind.ERROR, null, false, json);
    }
    JsonArray choices = json.getJsonArray("choices");
    if (choices.isEmpty()) {
      return new Frame(Kind.USAGE_CHUNK, null, false, json);
    }
    Kind kind = choices.getJsonObject(0).getValue("finish_reason") != null ? Kind.TERMINAL : Kind.CONTENT;
    return new Frame(kind, null, false, json);
  }

  public List<Frame> all() {
    return frames;
  }

  /**
   * The stream's shape: one word per frame ({@code progress:panel_member content terminal usage done}), progress
   * frames named by their stage (or their event name when they have no stage).
   */
  public String shape() {
    return frames.stream().map(frame -> switch (frame.kind()) {
      case PROGRESS -> frame.name().equals("progress") ? "progress:" + frame.json().getString("stage") : frame.name();
      case CONTENT -> "content";
      case TERMINAL -> "terminal";
      case USAGE_CHUNK -> "usage_chunk";
      case ERROR -> "error";
      case DONE -> "done";
    }).collect(Collectors.joining(" "));
  }

  /** The answer's text as a client assembles it from the content chunks. */
  public String text() {
    return frames.stream().filter(frame -> frame.kind() == Kind.CONTENT).map(Frame::content)
      .collect(Collectors.joining());
  }

  public List<Frame> progress(String stage) {
    return frames.stream().filter(frame -> frame.kind() == Kind.PROGRESS && frame.name().equals("progress")
      && stage.equals(frame.json().getString("stage"))).toList();
  }

  public List<Frame> named(String name) {
    return frames.stream().filter(frame -> frame.kind() == Kind.PROGRESS && frame.name().equals(name)).toList();
  }

  public List<Frame> of(Kind kind) {
    return frames.stream().filter(frame -> frame.kind() == kind).toList();
  }
}
