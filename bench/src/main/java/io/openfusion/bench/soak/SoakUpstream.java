package io.openfusion.bench.soak;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's upstream: an OpenAI-compatible fake whose model {@value #STEADY} always answers and whose model
 * {@value #FLAKY} misbehaves the ways real providers do, drawn per request: an HTTP 500, a connection reset (before the
 * answer, or mid-stream after two chunks), or a slow drip whose gaps outlast the proxy's idle timeout. The soak puts
 * the flaky model on the panel and asks for it in pass-through, so every fault path runs for the whole soak.
 */
final class SoakUpstream {

  static final String STEADY = "soak/steady";
  static final String FLAKY = "soak/flaky";
  /** Gap between the chunks of a slow drip: longer than the soak config's idle timeout. */
  static final long DRIP_GAP_MS = 2_500;

  private final Vertx vertx;
  private final long ttftMs;
  private final long gapMs;
  private final int tokens;
  private final double faultRate;
  private final SplittableRandom random = new SplittableRandom(7);
  private final LongAdder requests = new LongAdder();
  private final LongAdder faults = new LongAdder();
  private HttpServer server;

  /**
   * @param faultRate share of {@value #FLAKY} requests that fail, spread evenly over 500, reset and drip
   */
  SoakUpstream(Vertx vertx, long ttftMs, long gapMs, int tokens, double faultRate) {
    this.vertx = vertx;
    this.ttftMs = ttftMs;
    this.gapMs = gapMs;
    this.tokens = tokens;
    this.faultRate = faultRate;
  }

  Future<SoakUpstream> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
      .requestHandler(this::handle).listen().map(s -> {
        server = s;
        return this;
      });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  long requests() {
    return requests.sum();
  }

  long faults() {
    return faults.sum();
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> answer(request, body));
  }

  /** One fault kind per failing request; the random draw runs on the server's one event loop. */
  private enum Fault { NONE, STATUS_500, RESET, DRIP }

  private void answer(HttpServerRequest request, Buffer body) {
    requests.increment();
    JsonObject json = body.toJsonObject();
    String model = json.getString("model", STEADY);
    boolean stream = json.getBoolean("stream", false);
    Fault fault = Fault.NONE;
    if (FLAKY.equals(model) && random.nextDouble() < faultRate) {
      fault = Fault.values()[1 + random.nextInt(3)];
      faults.increment();
    }
    HttpServerResponse response = request.response();
    switch (fault) {
      case STATUS_500 -> response.setStatusCode(500).putHeader("content-type", "application/json")
        .end("{\"error\":{\"message\":\"simulated outage\",\"type\":\"server_error\",\"code\":\"soak_500\"}}");
      case RESET -> {
        if (stream) {
          streamed(response, model, 2, gapMs, true);
        } else {
          vertx.setTimer(ttftMs, t -> request.connection().close());
        }
      }
      case DRIP -> {
        if (stream) {
          streamed(response, model, tokens, DRIP_GAP_MS, false);
        } else {
          vertx.setTimer(DRIP_GAP_MS * 2, t -> complete(response, model));
        }
      }
      case NONE -> {
        if (stream) {
          streamed(response, model, tokens, gapMs, false);
        } else {
          vertx.setTimer(ttftMs + gapMs * tokens, t -> complete(response, model));
        }
      }
    }
  }

  private void complete(HttpServerResponse response, String model) {
    if (response.closed()) {
      return;
    }
    JsonObject answer = new JsonObject().put("id", "chatcmpl-soak").put("object", "chat.completion")
      .put("created", 1_700_000_000).put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant").put("content", text(tokens)))))
      .put("usage", usage());
    response.putHeader("content-type", "application/json").end(answer.encode());
  }

  /** Streams {@code count} chunks {@code gap} ms apart, then the end; or, with {@code reset}, drops the connection. */
  private void streamed(HttpServerResponse response, String model, int count, long gap, boolean reset) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    long[] timer = {-1};
    response.closeHandler(v -> vertx.cancelTimer(timer[0]));
    Runnable[] tick = new Runnable[1];
    int[] sent = {0};
    tick[0] = () -> {
      if (response.closed()) {
        return;
      }
      if (sent[0] == count) {
        if (reset) {
          response.reset();
          return;
        }
        response.end(frame(model, new JsonObject(), "stop") + "data: " + new JsonObject().put("id", "chatcmpl-soak")
          .put("object", "chat.completion.chunk").put("model", model).put("choices", new JsonArray())
          .put("usage", usage()).encode() + "\n\ndata: [DONE]\n\n");
        return;
      }
      response.write(frame(model, new JsonObject().put("content", WORDS[sent[0] % WORDS.length]), null));
      sent[0]++;
      timer[0] = vertx.setTimer(Math.max(1, gap), t -> tick[0].run());
    };
    timer[0] = vertx.setTimer(Math.max(1, ttftMs), t -> tick[0].run());
  }

  private static String frame(String model, JsonObject delta, String finish) {
    return "data: " + new JsonObject().put("id", "chatcmpl-soak").put("object", "chat.completion.chunk")
      .put("created", 1_700_000_000).put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
        .put("finish_reason", finish))).encode() + "\n\n";
  }

  private JsonObject usage() {
    return new JsonObject().put("prompt_tokens", 20).put("completion_tokens", tokens).put("total_tokens", 20 + tokens);
  }

  private static String text(int tokens) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      text.append(WORDS[i % WORDS.length]);
    }
    return text.toString();
  }

  private static final String[] WORDS = {"Soak ", "runs ", "long ", "so ", "leaks ", "show ", "as ", "growth. "};
}
