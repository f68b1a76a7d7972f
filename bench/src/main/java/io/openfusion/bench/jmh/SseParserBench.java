package io.openfusion.bench.jmh;

import io.openfusion.shared.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@link SseParser} on a realistic OpenAI chat-completion stream (a provider comment, 64 content chunks, the finish
 * chunk, a usage chunk and {@code [DONE]}) fed in different splits: the whole body at once, one network read per
 * event, 1460-byte TCP segments, 17-byte slivers, and seeded random reads of 1-256 bytes. The score is per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseParserBench {

  static final int CONTENT_CHUNKS = 64;
  /** comment + content chunks + finish + usage + done; the comment is not an event, so not counted */
  static final int EVENTS = CONTENT_CHUNKS + 3;

  @Param({"whole", "frame", "tcp1460", "sliver17", "random"})
  public String split;

  @Param({"lf", "crlf"})
  public String lineEnd;

  private Buffer[] pieces;

  @Setup
  public void setup() {
    String nl = lineEnd.equals("crlf") ? "\r\n" : "\n";
    List<String> frames = streamFrames(nl);
    byte[] all = String.join("", frames).getBytes(StandardCharsets.UTF_8);
    List<Buffer> out = new ArrayList<>();
    switch (split) {
      case "whole" -> out.add(Buffer.buffer(all));
      case "frame" -> frames.forEach(f -> out.add(Buffer.buffer(f)));
      case "tcp1460" -> slices(all, 1460, out);
      case "sliver17" -> slices(all, 17, out);
      default -> {
        Random r = new Random(7);
        for (int i = 0; i < all.length; ) {
          int n = Math.min(all.length - i, 1 + r.nextInt(256));
          out.add(Buffer.buffer(java.util.Arrays.copyOfRange(all, i, i + n)));
          i += n;
        }
      }
    }
    pieces = out.toArray(new Buffer[0]);
  }

  static List<String> streamFrames(String nl) {
    List<String> frames = new ArrayList<>();
    String head = "{\"id\":\"gen-1732212345-AbCdEfGhIjKlMnOpQrSt\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-4o-mini\","
      + "\"object\":\"chat.completion.chunk\",\"created\":1732212345,\"choices\":[{\"index\":0,\"delta\":{";
    frames.add(": OPENROUTER PROCESSING" + nl + nl);
    String[] words = {" Postgres", " is", " a", " client", "-server", " database", ";", " SQLite", " is", " embedded",
      " — ", "ünïcödé", " and", " simple", ".", "\\n"};
    for (int i = 0; i < CONTENT_CHUNKS; i++) {
      String delta = (i == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":\"" + words[i % words.length] + "\"";
      frames.add("data: " + head + delta + "},\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}],"
        + "\"system_fingerprint\":\"fp_0ba0d124f1\"}" + nl + nl);
    }
    frames.add("data: " + head + "},\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\",\"logprobs\":null}]}" + nl + nl);
    frames.add("data: {\"id\":\"gen-1732212345-AbCdEfGhIjKlMnOpQrSt\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
      + "\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":64,\"total_tokens\":106,\"cost\":0.0000447}}" + nl + nl);
    frames.add("data: [DONE]" + nl + nl);
    return frames;
  }

  private static void slices(byte[] all, int size, List<Buffer> out) {
    for (int i = 0; i < all.length; i += size) {
      out.add(Buffer.buffer(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + size))));
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void parse(Blackhole bh) {
    SseParser parser = SseParser.create(1 << 20, bh::consume);
    for (Buffer piece : pieces) {
      parser.handle(piece);
    }
    parser.end();
  }
}
