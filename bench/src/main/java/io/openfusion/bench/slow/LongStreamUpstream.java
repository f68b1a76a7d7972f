package io.openfusion.bench.slow;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible upstream whose streamed answers are long and sent as fast as the connection takes them, and
 * which watches each one: how many bytes it managed to hand to its socket, whether it is waiting for the socket to
 * drain (its reader, the proxy, stopped reading), for how long, and whether the stream ended or was cut.
 *
 * <p>A request whose body carries {@value #MARKER}{@code <id>} (in the user message, which pass-through forwards and
 * the judge's prompt quotes) gets the long answer and is tracked under that id; any other streamed request (warm-up)
 * gets a short one. Non-streamed requests (panel members) always get a short answer, so a fusion's judge prompt stays
 * small and only the judge's stream is long.
 *
 * <p>Writes honour the write queue: while {@code writeQueueFull()} the stream waits for the drain, so the fake itself
 * never buffers more than Vert.x's high-water mark per stream, and "bytes written" means "taken by the connection".
 */
public final class LongStreamUpstream {

  /** Marks a tracked request in its prompt: {@code [bench-stream slow-1-before-07]}. */
  public static final String MARKER = "bench-stream ";
  private static final Pattern ID = Pattern.compile(Pattern.quote(MARKER) + "([A-Za-z0-9._:-]{1,64})");
  private static final int SHORT_CHUNKS = 20;
  /** At most this many bytes are written in one event-loop turn, so streams share the loop fairly. */
  private static final int TURN_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final int chunks;
  private final int chunkBytes;
  private final Map<String, Track> tracks = new ConcurrentHashMap<>();
  private HttpServer server;

  private LongStreamUpstream(Vertx vertx, int chunks, int chunkBytes) {
    this.vertx = vertx;
    this.chunks = chunks;
    this.chunkBytes = chunkBytes;
  }

  /**
   * @param chunks     content chunks in a long answer
   * @param chunkBytes characters of text per content chunk
   */
  public static Future<LongStreamUpstream> start(Vertx vertx, int chunks, int chunkBytes) {
    if (chunks < 2 || chunkBytes < 1) {
      throw new IllegalArgumentException("a long answer needs at least 2 chunks of at least 1 character");
    }
    LongStreamUpstream upstream = new LongStreamUpstream(vertx, chunks, chunkBytes);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true)
        .setIdleTimeout(0))
      .requestHandler(upstream::handle)
      .listen()
      .map(s -> {
        upstream.server = s;
        return upstream;
      });
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The tracked stream of a request id, or null when none arrived (yet). */
  public Track track(String id) {
    return tracks.get(id);
  }

  /** The tracked streams whose id starts with {@code prefix} (one run's). */
  public List<Track> tracks(String prefix) {
    return tracks.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
  }

  /** Bytes of one long answer on the wire (its SSE body), whatever the model name's length adds. */
  public long longAnswerBytes(String model) {
    Frames f = new Frames(model, chunkBytes, true);
    return f.first.length + (long) (chunks - 2) * f.content.length + f.tail.length;
  }

  public String describe() {
    long bytes = longAnswerBytes("fake/pt");
    return String.format("long answers of %,d chunks x %,d characters (%.1f MB of SSE per stream), sent as fast as the "
      + "connection takes them (write queue honoured); short answers (%d chunks) for warm-up and panel members",
      chunks, chunkBytes, bytes / 1e6, SHORT_CHUNKS);
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().endsWith("/chat/completions")) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(body -> answer(request.response(), body.toString(StandardCharsets.UTF_8)));
  }

  private void answer(HttpServerResponse response, String body) {
    String model = field(body, "model", "fake/model");
    boolean stream = body.matches("(?s).*\"stream\"\\s*:\\s*true.*");
    Matcher m = ID.matcher(body);
    if (!stream) {
      response.putHeader("content-type", "application/json").end("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\","
        + "\"created\":1700000000,\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"A short member answer for the judge to read.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":10,\"total_tokens\":50,\"cost\":0.00001}}");
      return;
    }
    boolean tracked = m.find();
    Frames frames = new Frames(model, tracked ? chunkBytes : 8, tracked);
    int count = tracked ? chunks : SHORT_CHUNKS;
    Track track = new Track(tracked ? m.group(1) : "", frames.first.length + (long) (count - 2) * frames.content.length
      + frames.tail.length);
    if (tracked) {
      tracks.put(track.id, track);
    }
    response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    response.closeHandler(v -> {
      if (track.endedAtMs < 0) {
        track.cutAtMs = System.currentTimeMillis();
      }
      track.waitingSinceMs = -1;
    });
    new Pump(response, frames, count, track).run();
  }

  /** Writes one answer while the connection takes it; waits for the drain when it does not. */
  private final class Pump {
    private final HttpServerResponse response;
    private final Frames frames;
    private final int count;
    private final Track track;
    private int next;

    Pump(HttpServerResponse response, Frames frames, int count, Track track) {
      this.response = response;
      this.frames = frames;
      this.count = count;
      this.track = track;
    }

    void run() {
      if (track.cutAtMs >= 0 || response.closed()) {
        return;
      }
      int turn = 0;
      while (next < count - 1 && turn < TURN_BYTES && !response.writeQueueFull()) {
        byte[] frame = next == 0 ? frames.first : frames.content;
        response.write(Buffer.buffer(frame));
        track.written += frame.length;
        turn += frame.length;
        next++;
      }
      if (next == count - 1 && !response.writeQueueFull()) {
        // the last content chunk, the finish chunk, the usage and [DONE]
        response.end(Buffer.buffer(frames.tail));
        track.written += frames.tail.length;
        track.endedAtMs = System.currentTimeMillis();
        return;
      }
      if (response.writeQueueFull()) {
        track.drainWaits++;
        track.waitingSinceMs = System.currentTimeMillis();
        response.drainHandler(v -> {
          response.drainHandler(null);
          long since = track.waitingSinceMs;
          if (since >= 0) {
            track.waitedMs += System.currentTimeMillis() - since;
          }
          track.waitingSinceMs = -1;
          run();
        });
      } else {
        vertx.runOnContext(v -> run());
      }
    }
  }

  /** The bytes of one answer: the first content chunk (with the role), a content chunk, and the tail. */
  private static final class Frames {
    final byte[] first;
    final byte[] content;
    final byte[] tail;

    Frames(String model, int textChars, boolean withUsage) {
      String prefix = "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
        + model + "\",";
      StringBuilder text = new StringBuilder(textChars + 16);
      for (int i = 0; text.length() < textChars; i++) {
        text.append(WORDS[i % WORDS.length]);
      }
      text.setLength(textChars);
      String delta = "\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n";
      first = (prefix + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"," + delta).getBytes(StandardCharsets.UTF_8);
      content = (prefix + "\"choices\":[{\"index\":0,\"delta\":{" + delta).getBytes(StandardCharsets.UTF_8);
      tail = (prefix + "\"choices\":[{\"index\":0,\"delta\":{" + delta
        + prefix + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
        + (withUsage ? prefix + "\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":1000,\"total_tokens\":1040,"
          + "\"cost\":0.0004}}\n\n" : "")
        + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * What one tracked stream did. Written on the fake's event loop, read by the harness's sampler: the fields are
   * volatile, and a reading is a snapshot that may be a chunk behind.
   */
  public static final class Track {
    final String id;
    final long totalBytes;
    final long startedAtMs = System.currentTimeMillis();
    volatile long written;
    volatile long endedAtMs = -1;
    volatile long cutAtMs = -1;
    volatile long waitingSinceMs = -1;
    volatile long waitedMs;
    volatile int drainWaits;

    Track(String id, long totalBytes) {
      this.id = id;
      this.totalBytes = totalBytes;
    }

    public String id() {
      return id;
    }

    public long totalBytes() {
      return totalBytes;
    }

    public long startedAtMs() {
      return startedAtMs;
    }

    public long written() {
      return written;
    }

    /** When the whole answer was handed to the connection, or -1. */
    public long endedAtMs() {
      return endedAtMs;
    }

    /** When the proxy closed the connection before the answer's end, or -1. */
    public long cutAtMs() {
      return cutAtMs;
    }

    public boolean open() {
      return endedAtMs < 0 && cutAtMs < 0;
    }

    /** Whether the stream is waiting for its reader (the proxy) to take more. */
    public boolean waiting() {
      return waitingSinceMs >= 0 && open();
    }

    /** Milliseconds spent waiting for the drain so far, the current wait included. */
    public long waitedMs(long nowMs) {
      long since = waitingSinceMs;
      return waitedMs + (since >= 0 ? nowMs - since : 0);
    }

    public int drainWaits() {
      return drainWaits;
    }
  }

  private static String field(String json, String name, String fallback) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : fallback;
  }

  private static final String[] WORDS = {"Slow ", "readers ", "must ", "not ", "cost ", "the ", "proxy ", "memory: ",
    "a ", "paused ", "upstream ", "waits ", "for ", "the ", "client ", "to ", "catch ", "up. "};
}
