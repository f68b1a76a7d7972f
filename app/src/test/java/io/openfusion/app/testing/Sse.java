package io.openfusion.app.testing;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Splits a whole SSE response body into frames, for asserting exact frame order. */
public final class Sse {

  /** One frame: {@code event} is null for plain {@code data:} frames. */
  public record Frame(String event, String data) {

    public JsonObject json() {
      return new JsonObject(data);
    }

    public boolean isDone() {
      return "[DONE]".equals(data);
    }

    /** A short tag for order assertions: the event name, or chunk kinds for data frames. */
    public String kind() {
      if (event != null) {
        return event.equals("progress") ? "progress:" + json().getString("stage") : event;
      }
      if (isDone()) {
        return "[DONE]";
      }
      JsonObject json = json();
      if (json.containsKey("error")) {
        return "error:" + json.getJsonObject("error").getString("code");
      }
      if (json.getJsonArray("choices").isEmpty()) {
        return "usage-chunk";
      }
      JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
      if (choice.getString("finish_reason") != null) {
        return "finish:" + choice.getString("finish_reason");
      }
      return "content";
    }
  }

  private Sse() {
  }

  public static List<Frame> parse(String body) {
    List<Frame> frames = new ArrayList<>();
    for (String block : body.replace("\r\n", "\n").split("\n\n")) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).strip());
        }
      }
      if (event != null || data.length() > 0) {
        frames.add(new Frame(event, data.toString()));
      }
    }
    return frames;
  }

  /** The frame kinds with consecutive content chunks collapsed into one "content". */
  public static List<String> shape(List<Frame> frames) {
    List<String> kinds = new ArrayList<>();
    for (Frame frame : frames) {
      String kind = frame.kind();
      if (kind.equals("content") && !kinds.isEmpty() && kinds.get(kinds.size() - 1).equals("content")) {
        continue;
      }
      kinds.add(kind);
    }
    return kinds;
  }

  /** The concatenated content deltas. */
  public static String content(List<Frame> frames) {
    StringBuilder text = new StringBuilder();
    for (Frame frame : frames) {
      if (frame.event() == null && !frame.isDone() && frame.kind().equals("content")) {
        text.append(frame.json().getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content", ""));
      }
    }
    return text.toString();
  }
}
