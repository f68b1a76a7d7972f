package io.openfusion.bench.jmh;

import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.sse.ChunkFrames;
import io.openfusion.shared.sse.DeltaContent;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The per-token relay path. Pass-through: an upstream chunk's data, unchanged, framed as {@code data: ...\n\n} into a
 * {@link Buffer} ({@link SseFrames#data}), and the copy the local event bus makes of a {@code Buffer} body. Fusion: the
 * judge's upstream chunk decoded to read its delta, then a new chunk built with {@link Completions#chunk}, encoded
 * and framed (the router writes fused chunks this way from the judge's text). {@code manualChunk} is a hand-written StringBuilder encoding of the same chunk, as a reference for what
 * the JSON tree costs. The relay path as shipped: {@code passThroughBatched} (the upstream chunk framed straight into
 * a {@link StreamBatch}, sealed and decoded as the api does), {@code judgeChunkStreaming} ({@link DeltaContent} reads
 * the delta, {@link ChunkFrames} writes the chunk) and its two halves. The score is per chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkRelayBench {

  /** A one-word token, and a long delta (some providers batch ~50 tokens into one chunk). */
  @Param({"short", "long"})
  public String content;

  private String token;
  private String upstreamData;
  private Buffer frame;
  private ChunkFrames chunkFrames;
  private final String id = Completions.newId();
  private final long created = 1_732_212_345L;
  private final String model = "openfusion";

  @Setup
  public void setup() {
    token = content.equals("short") ? " database"
      : "Postgres is a client-server database with MVCC, rich types and replication; SQLite is an embedded, "
        + "single-file library with \"serverless\" writes — great for small SaaS tenants.";
    upstreamData = Completions.chunk("gen-1732212345-AbCdEfGhIjKlMnOpQrSt", created, "openai/gpt-4o-mini",
      new JsonObject().put("content", token), null).encode();
    frame = SseFrames.data(upstreamData);
    chunkFrames = new ChunkFrames(id, created, model);
  }

  @Benchmark
  public StreamBatch passThroughBatched() {
    Buffer batch = SseFrames.appendData(StreamBatch.start(), upstreamData);
    return StreamBatch.decode(StreamBatch.seal(batch, false, false));
  }

  @Benchmark
  public String readDeltaStreaming() {
    return DeltaContent.of(upstreamData);
  }

  @Benchmark
  public Buffer judgeChunkEncoder() {
    return chunkFrames.content(token, false);
  }

  @Benchmark
  public Buffer judgeChunkStreaming() {
    return chunkFrames.content(DeltaContent.of(upstreamData), false);
  }

  @Benchmark
  public Buffer passThroughFrame() {
    return SseFrames.data(upstreamData);
  }

  @Benchmark
  public Buffer eventBusBufferCopy() {
    return frame.copy();
  }

  @Benchmark
  public String decodeUpstreamDelta() {
    return new JsonObject(upstreamData).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
  }

  @Benchmark
  public Buffer judgeChunkFrame() {
    return SseFrames.data(Completions.chunk(id, created, model, new JsonObject().put("content", token), null).encode());
  }

  @Benchmark
  public Buffer judgeChunkFromUpstream() {
    String delta = new JsonObject(upstreamData).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
    return SseFrames.data(Completions.chunk(id, created, model, new JsonObject().put("content", delta), null).encode());
  }

  @Benchmark
  public Buffer manualChunk() {
    StringBuilder sb = new StringBuilder(128 + token.length());
    sb.append("data: {\"id\":\"").append(id).append("\",\"object\":\"chat.completion.chunk\",\"created\":").append(created)
      .append(",\"model\":\"").append(model).append("\",\"choices\":[{\"index\":0,\"delta\":{\"content\":");
    appendJsonString(sb, token);
    sb.append("},\"finish_reason\":null}]}\n\n");
    return Buffer.buffer(sb.toString());
  }

  private static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
