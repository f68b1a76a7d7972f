package io.openfusion.bench.perf;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lean OpenAI-compatible upstream for load tests: {@code POST /v1/chat/completions}, streamed or not, with a fixed
 * time to first token, inter-token gap and token count, usage with a cost, and an optional failure rate. Requests are
 * not JSON-parsed: {@code stream}, {@code include_usage} and {@code model} are found by a byte scan, so the fake
 * spends as little CPU as possible on the box it shares with the proxy and the load driver.
 */
public final class FakeUpstream {

  private final Vertx vertx;
  private final FakeUpstreamOptions options;
  /**
   * Port 0 asks for a free port shared by every instance: Vert.x binds servers that listen on the same negative port
   * once, to a free port, and shares it among them (port 0 would give each instance its own). One negative port per
   * fake, so two fakes in one Vert.x never share a listener.
   */
  private static final AtomicInteger LAST_SHARED_PORT = new AtomicInteger(1_000);
  private final AtomicInteger port = new AtomicInteger(-1);
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private String deploymentId;

  private FakeUpstream(Vertx vertx, FakeUpstreamOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  public static Future<FakeUpstream> start(Vertx vertx, FakeUpstreamOptions options) {
    FakeUpstream upstream = new FakeUpstream(vertx, options);
    int listenPort = options.port() == 0 ? -LAST_SHARED_PORT.incrementAndGet() : options.port();
    return vertx.deployVerticle(() -> upstream.new Server(listenPort), new DeploymentOptions().setInstances(options.instances()))
      .map(id -> {
        upstream.deploymentId = id;
        return upstream;
      });
  }

  public int port() {
    return port.get();
  }

  public String baseUrl() {
    return "http://" + options.host() + ":" + port() + "/v1";
  }

  public FakeUpstreamOptions options() {
    return options;
  }

  public long requests() {
    return requests.sum();
  }

  public long failures() {
    return failures.sum();
  }

  public Future<Void> stop() {
    return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
  }

  private final class Server extends VerticleBase {

    private final int listenPort;
    private SplittableRandom random;
    private byte[][] tokenBytes;

    Server(int listenPort) {
      this.listenPort = listenPort;
    }

    @Override
    public Future<?> start() {
      random = new SplittableRandom(options.seed() ^ System.identityHashCode(this));
      tokenBytes = new byte[options.tokens()][];
      for (int i = 0; i < options.tokens(); i++) {
        tokenBytes[i] = WORDS[i % WORDS.length].getBytes(StandardCharsets.UTF_8);
      }
      return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(listenPort)
          .setTcpNoDelay(true).setIdleTimeout(0))
        .requestHandler(this::handle)
        .listen()
        .onSuccess(server -> port.set(server.actualPort()));
    }

    private void handle(HttpServerRequest request) {
      if (!request.path().endsWith("/chat/completions")) {
        request.response().setStatusCode(404).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\",\"code\":\"not_found\"}}");
        return;
      }
      request.body().onSuccess(body -> answer(request.response(), body));
    }

    private void answer(HttpServerResponse response, Buffer body) {
      requests.increment();
      byte[] bytes = body.getBytes();
      if (options.failRate() > 0 && random.nextDouble() < options.failRate()) {
        failures.increment();
        response.setStatusCode(options.failStatus()).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"simulated failure\",\"type\":\"server_error\",\"code\":\"simulated\"}}");
        return;
      }
      String model = stringField(bytes, "\"model\"");
      if (model == null) {
        model = "fake/model";
      }
      int promptTokens = Math.max(1, bytes.length / 4);
      if (booleanField(bytes, "\"stream\"")) {
        new Stream(response, model, promptTokens, booleanField(bytes, "\"include_usage\"")).start();
      } else {
        String json = completion(model, promptTokens);
        long delay = options.effectiveJsonLatencyMs();
        if (delay <= 0) {
          sendJson(response, json);
        } else {
          long timer = vertx.setTimer(delay, t -> sendJson(response, json));
          response.closeHandler(v -> vertx.cancelTimer(timer));
        }
      }
    }

    private void sendJson(HttpServerResponse response, String json) {
      if (!response.closed()) {
        response.putHeader("content-type", "application/json").end(json);
      }
    }

    private String completion(String model, int promptTokens) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < options.tokens(); i++) {
        text.append(WORDS[i % WORDS.length]);
      }
      return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"" + model
        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text
        + "\"},\"finish_reason\":\"stop\"}],\"usage\":" + usage(promptTokens) + "}";
    }

    private String usage(int promptTokens) {
      int completion = options.tokens();
      double cost = promptTokens * FakeUpstreamOptions.PROMPT_PRICE + completion * FakeUpstreamOptions.COMPLETION_PRICE;
      return "{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
        + (promptTokens + completion) + ",\"cost\":" + cost + "}";
    }

    /** One streamed answer, a chunk per timer tick; a client that leaves cancels the pending tick. */
    private final class Stream {
      private final HttpServerResponse response;
      private final byte[] prefix;
      private final int promptTokens;
      private final boolean includeUsage;
      private int next;
      private long timer = -1;
      private boolean done;

      Stream(HttpServerResponse response, String model, int promptTokens, boolean includeUsage) {
        this.response = response;
        this.prefix = ("data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
          + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":{").getBytes(StandardCharsets.UTF_8);
        this.promptTokens = promptTokens;
        this.includeUsage = includeUsage;
      }

      void start() {
        response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        response.closeHandler(v -> {
          done = true;
          if (timer != -1) {
            vertx.cancelTimer(timer);
          }
        });
        schedule(options.ttftMs());
      }

      private void schedule(long delay) {
        if (delay <= 0) {
          vertx.runOnContext(v -> tick());
        } else {
          timer = vertx.setTimer(delay, t -> {
            timer = -1;
            tick();
          });
        }
      }

      private void tick() {
        if (done || response.closed()) {
          return;
        }
        do {
          Buffer frame = Buffer.buffer(prefix.length + 64).appendBytes(prefix);
          if (next == 0) {
            frame.appendString("\"role\":\"assistant\",");
          }
          frame.appendString("\"content\":\"").appendBytes(tokenBytes[next]).appendString("\"},\"finish_reason\":null}]}\n\n");
          next++;
          if (next == options.tokens()) {
            frame.appendBytes(prefix).appendString("},\"finish_reason\":\"stop\"}]}\n\n");
            if (includeUsage) {
              frame.appendBytes(prefix, 0, prefix.length - "\"choices\":[{\"index\":0,\"delta\":{".length())
                .appendString("\"choices\":[],\"usage\":").appendString(usage(promptTokens)).appendString("}\n\n");
            }
            frame.appendString("data: [DONE]\n\n");
            done = true;
            response.end(frame);
            return;
          }
          response.write(frame);
        } while (options.interTokenMs() == 0);
        schedule(options.interTokenMs());
      }
    }
  }

  private static final String[] WORDS = {"Fusion ", "answers ", "are ", "simulated ", "here ", "so ", "the ", "proxy ",
    "overhead ", "can ", "be ", "measured ", "against ", "a ", "fixed ", "upstream ", "latency ", "profile ", "with ",
    "every ", "token ", "paced ", "by ", "timers. "};

  /** {@code true} when {@code "name": true} appears in the JSON bytes (whitespace tolerated). */
  static boolean booleanField(byte[] json, String quotedName) {
    int at = indexOf(json, quotedName.getBytes(StandardCharsets.US_ASCII), 0);
    while (at >= 0) {
      int i = at + quotedName.length();
      while (i < json.length && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
        i++;
      }
      if (i < json.length && json[i] == ':') {
        i++;
        while (i < json.length && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
          i++;
        }
        return i < json.length && json[i] == 't';
      }
      at = indexOf(json, quotedName.getBytes(StandardCharsets.US_ASCII), at + 1);
    }
    return false;
  }

  /** The first {@code "name": "value"} string value, or null (escapes are not expected in model ids). */
  static String stringField(byte[] json, String quotedName) {
    int at = indexOf(json, quotedName.getBytes(StandardCharsets.US_ASCII), 0);
    if (at < 0) {
      return null;
    }
    int i = at + quotedName.length();
    while (i < json.length && json[i] != '"' && (json[i] == ' ' || json[i] == ':' || json[i] == '\t')) {
      i++;
    }
    if (i >= json.length || json[i] != '"') {
      return null;
    }
    int end = i + 1;
    while (end < json.length && json[end] != '"') {
      end++;
    }
    return new String(json, i + 1, end - i - 1, StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
