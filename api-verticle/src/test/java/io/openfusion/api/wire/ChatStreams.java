package io.openfusion.api.wire;

import io.openfusion.shared.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Chat streams as the relay writes them, and what translators make of them, for the translator tests. */
public final class ChatStreams {

  private ChatStreams() {
  }

  public static String chunk(JsonObject delta, String finish) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish);
    return data(new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("created", 1)
      .put("model", "openfusion").put("choices", new JsonArray().add(choice)));
  }

  public static String content(String text) {
    return chunk(new JsonObject().put("content", text), null);
  }

  public static String finish(String reason) {
    return chunk(new JsonObject(), reason);
  }

  public static String toolCall(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    if (name != null) {
      function.put("name", name);
    }
    JsonObject call = new JsonObject().put("index", index).put("function", function);
    if (id != null) {
      call.put("id", id).put("type", "function");
    }
    return chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null);
  }

  public static String usage(int prompt, int completion) {
    return data(new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("model", "openfusion")
      .put("choices", new JsonArray()).put("usage", new JsonObject().put("prompt_tokens", prompt)
        .put("completion_tokens", completion).put("total_tokens", prompt + completion).put("cost", 0.25)));
  }

  public static String comment(String text) {
    return ": " + text + "\n\n";
  }

  public static String error(String code, String type, String message) {
    return data(new JsonObject().put("error", new JsonObject().put("message", message).put("type", type).put("code", code)));
  }

  public static String done() {
    return "data: [DONE]\n\n";
  }

  private static String data(JsonObject json) {
    return "data: " + json.encode() + "\n\n";
  }

  /** A fused answer as a client without named events gets it: progress comments, content, tail, usage. */
  public static String fused(String... pieces) {
    StringBuilder sse = new StringBuilder();
    sse.append(comment("progress {\"stage\":\"panel\",\"message\":\"Querying 2 models\"}"));
    sse.append(comment("panel_answer {\"model\":\"m1\",\"label\":\"A\",\"content\":\"Paris.\"}"));
    boolean first = true;
    for (String piece : pieces) {
      JsonObject delta = new JsonObject().put("content", piece);
      if (first) {
        delta.put("role", "assistant");
        first = false;
      }
      sse.append(chunk(delta, null));
    }
    sse.append(finish("stop"));
    sse.append(comment("usage {\"panel\":[],\"total\":{\"prompt_tokens\":30,\"completion_tokens\":7,\"cost\":0.25}}"));
    sse.append(usage(30, 7));
    sse.append(done());
    return sse.toString();
  }

  /** The translator's events (name and data), read with the proxy's own SSE parser as a client would. */
  public static List<Event> events(String sse) {
    List<Event> events = new ArrayList<>();
    SseParser parser = SseParser.create(1 << 20, e -> events.add(new Event(e.event(), new JsonObject(e.data()))));
    parser.handle(Buffer.buffer(sse));
    parser.end();
    return events;
  }

  public record Event(String name, JsonObject data) {
  }

  /** Everything {@code translator} writes for {@code chat} fed in one piece. */
  public static String whole(io.openfusion.api.chat.StreamTranslator translator, String chat) {
    return translator.translate(Buffer.buffer(chat)).toString();
  }

  /**
   * Feeds {@code chat} split in two at every byte (and byte by byte) and checks the output is the same as in one
   * piece, random item ids aside.
   */
  public static void sameAtEverySplit(Supplier<io.openfusion.api.chat.StreamTranslator> translators, String chat) {
    byte[] bytes = chat.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String reference = normalized(whole(translators.get(), chat));
    for (int cut = 0; cut <= bytes.length; cut++) {
      var translator = translators.get();
      Buffer out = Buffer.buffer();
      out.appendBuffer(translator.translate(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, cut))));
      out.appendBuffer(translator.translate(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, cut, bytes.length))));
      assertThat(normalized(out.toString())).as("split at byte %d", cut).isEqualTo(reference);
      assertThat(translator.ended()).isTrue();
    }
    var translator = translators.get();
    Buffer out = Buffer.buffer();
    for (byte b : bytes) {
      out.appendBuffer(translator.translate(Buffer.buffer(new byte[] {b})));
    }
    assertThat(normalized(out.toString())).as("byte by byte").isEqualTo(reference);
  }

  private static String normalized(String sse) {
    // a Responses output item's id is its response's 24 digits and 4 of its own number
    return sse.replaceAll("(msg|fc|call|toolu)_[0-9a-f]{24}(?:[0-9a-f]{4})?", "$1_ID");
  }
}
