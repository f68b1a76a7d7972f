package io.openfusion.shared.upstream;

import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.openfusion.shared.upstream.Calls.await;
import static io.openfusion.shared.upstream.Calls.call;
import static io.openfusion.shared.upstream.Calls.chunk;
import static io.openfusion.shared.upstream.Calls.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** Upstream behaviour that needs exact timing: an inline Vert.x server on 127.0.0.1 plays the provider. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class UpstreamClientInlineServerTest {

  /** Short clocks for the timing tests. */
  private static final UpstreamOptions FAST = UpstreamOptions.defaults()
      .withConnectTimeoutMs(1_000).withFirstTokenTimeoutMs(300).withIdleTimeoutMs(300);
  /** Roomy clocks for tests that are not about timeouts (a cold JVM on a loaded box can take a while). */
  private static final UpstreamOptions RELAXED = FAST.withFirstTokenTimeoutMs(2_000).withIdleTimeoutMs(2_000);

  private Vertx vertx;
  private UpstreamClient client;
  private UpstreamClient relaxed;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();

  /**
   * Loads the HTTP client and server classes once (one throw-away exchange) so the first test's timing is not
   * charged with a cold JVM; this matters on a loaded build box.
   */
  @BeforeAll
  static void warmUp() {
    Calls.warmUp();
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = UpstreamClient.create(vertx, FAST);
    this.relaxed = UpstreamClient.create(vertx, RELAXED);
  }

  @AfterEach
  void tearDown() {
    await(client.close());
    await(relaxed.close());
    if (server != null) {
      await(server.close());
    }
  }

  /** Starts the fake upstream; returns its base URL. */
  private String serve(Handler<HttpServerRequest> handler) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(req -> {
          requests.incrementAndGet();
          req.body().onSuccess(b -> handler.handle(req));
        });
    await(server.listen());
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  private static HttpServerResponse sseHead(HttpServerRequest req) {
    return req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
  }

  private static String data(String payload) {
    return "data: " + payload + "\n\n";
  }

  /** Runs the call from a Vert.x event-loop context, as a verticle would. */
  private <T> Future<T> fromContext(Supplier<Future<T>> call) {
    Promise<T> promise = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(promise));
    return promise.future();
  }

  @Test
  void sseSplitAcrossTcpWritesInOddByteGroups() {
    StringBuilder sb = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String c = chunk("t\u00e9" + i, i == 5 ? "stop" : null);
      expected.add(c);
      sb.append("data: ").append(c).append(i % 2 == 0 ? "\r\n\r\n" : "\n\n");
    }
    sb.append("data: [DONE]\r\n\r\n");
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      int[] pos = {0};
      vertx.setPeriodic(3, id -> {
        int n = Math.min(31, bytes.length - pos[0]);
        resp.write(Buffer.buffer().appendBytes(bytes, pos[0], n));
        pos[0] += n;
        if (pos[0] >= bytes.length) {
          vertx.cancelTimer(id);
          resp.end();
        }
      });
    });
    List<String> got = new ArrayList<>();

    StreamResult r = await(fromContext(() -> relaxed.stream(call(base, true), got::add)));

    assertThat(got).containsExactlyElementsOf(expected);
    assertThat(r.finishReason()).isEqualTo("stop");
    assertThat(r.chunks()).isEqualTo(6);
  }

  @Test
  void headersThenNothingIsAFirstTokenTimeoutAndTheConnectionIsClosed(VertxTestContext ctx) {
    var closed = ctx.checkpoint();
    var failed = ctx.checkpoint();
    String base = serve(req -> {
      req.connection().closeHandler(v -> closed.flag());
      sseHead(req).writeHead();
    });
    long start = System.currentTimeMillis();
    client.stream(call(base, true), s -> { }).onComplete(ctx.failing(err -> ctx.verify(() -> {
      UpstreamException e = (UpstreamException) err;
      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.getMessage()).isEqualTo("Upstream timed out: no first token within 0.3 s");
      assertThat(System.currentTimeMillis() - start).isBetween(250L, 1500L);
      failed.flag();
    })));
  }

  @Test
  void commentKeepAlivesDoNotCountAsAFirstToken() {
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      vertx.setPeriodic(50, id -> {
        if (!resp.closed()) {
          resp.write(": OPENROUTER PROCESSING\n\n");
        }
      });
    });
    UpstreamException e = failure(client.stream(call(base, true), s -> { }));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("no first token");
  }

  @Test
  void slowDripPastTheIdleTimeoutIsATimeout() {
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      resp.write(data(chunk("a", null)));
      vertx.setTimer(100, t -> resp.write(data(chunk("b", null))));
      vertx.setTimer(900, t -> {
        if (!resp.closed()) {
          resp.end(data("[DONE]"));
        }
      });
    });
    List<String> got = new ArrayList<>();

    UpstreamException e = failure(fromContext(() -> client.stream(call(base, true), got::add)));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).isEqualTo("Upstream timed out: stream idle for 0.3 s");
    assertThat(got).containsExactly(chunk("a", null), chunk("b", null));
  }

  @Test
  void aSteadyDripFasterThanTheIdleTimeoutSucceeds() {
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      int[] n = {0};
      vertx.setPeriodic(100, id -> {
        if (n[0]++ < 6) {
          resp.write(data(chunk("x", null)));
        } else {
          vertx.cancelTimer(id);
          resp.end(data("[DONE]"));
        }
      });
    });
    StreamResult r = await(fromContext(() -> client.stream(call(base, true), s -> { })));
    assertThat(r.chunks()).isEqualTo(6);
  }

  @Test
  void deadlineShorterThanTheResponseIsATimeout() {
    String base = serve(req -> vertx.setTimer(1_500, t -> {
      if (!req.response().closed()) {
        req.response().end("{\"choices\":[]}");
      }
    }));
    long start = System.currentTimeMillis();

    UpstreamException e = failure(client.complete(call(base, Calls.KEY, false, 400, null)));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).isEqualTo("Upstream timed out: no response within 0.4 s");
    assertThat(System.currentTimeMillis() - start).isBetween(350L, 1200L);
  }

  @Test
  void deadlineHitsMidStream() {
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      vertx.setPeriodic(50, id -> {
        if (!resp.closed()) {
          resp.write(data(chunk("x", null)));
        }
      });
    });
    UpstreamException e = failure(client.stream(call(base, Calls.KEY, true, 400, null), s -> { }));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).isEqualTo("Upstream timed out: no response within 0.4 s");
  }

  @Test
  void deadlineAlreadyPastFailsWithoutARequest() {
    String base = serve(req -> req.response().end("{}"));
    UpstreamException e = failure(client.complete(call(base, Calls.KEY, false, -1, null)));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(requests.get()).isZero();
    assertThat(connections.get()).isZero();
  }

  @Test
  void cancelBeforeStartFailsWithoutARequest() {
    String base = serve(req -> req.response().end("{}"));
    UpstreamException e = failure(client.complete(call(base, Calls.KEY, false, 5_000, Future.succeededFuture())));
    assertThat(e.kind()).isEqualTo(Kind.CANCELLED);
    assertThat(requests.get()).isZero();
  }

  @Test
  void cancelMidStreamIsCancelledAndTheServerSeesTheConnectionClose(VertxTestContext ctx) {
    var serverSawClose = ctx.checkpoint();
    var clientFailed = ctx.checkpoint();
    long[] cancelledAt = {0};
    String base = serve(req -> {
      req.connection().closeHandler(v -> ctx.verify(() -> {
        assertThat(cancelledAt[0]).isPositive();
        assertThat(System.currentTimeMillis() - cancelledAt[0]).isLessThan(1_000);
        serverSawClose.flag();
      }));
      HttpServerResponse resp = sseHead(req);
      resp.write(data(chunk("first", null)));
      vertx.setTimer(2_000, t -> {
        if (!resp.closed()) {
          resp.end(data("[DONE]"));
        }
      });
    });
    Promise<Void> cancel = Promise.promise();
    List<String> got = new ArrayList<>();
    UpstreamCall call = call(base, Calls.KEY, true, 5_000, cancel.future());

    fromContext(() -> client.stream(call, s -> {
      got.add(s);
      cancelledAt[0] = System.currentTimeMillis();
      cancel.complete();
    })).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertThat(err).isInstanceOf(UpstreamException.class);
      assertThat(((UpstreamException) err).kind()).isEqualTo(Kind.CANCELLED);
      assertThat(got).hasSize(1);
      clientFailed.flag();
    })));
  }

  @Test
  void cancelFromAnotherContextWhileWaitingForHeaders(VertxTestContext ctx) {
    var serverSawClose = ctx.checkpoint();
    String base = serve(req -> req.connection().closeHandler(v -> serverSawClose.flag()));
    Promise<Void> cancel = Promise.promise();
    vertx.setTimer(100, t -> vertx.getOrCreateContext().runOnContext(v -> cancel.complete()));
    client.complete(call(base, Calls.KEY, false, 5_000, cancel.future()))
        .onComplete(ctx.failing(err -> ctx.verify(() ->
            assertThat(((UpstreamException) err).kind()).isEqualTo(Kind.CANCELLED))));
  }

  @Test
  void cancelAfterCompletionIsANoOp() {
    String base = serve(req -> req.response().putHeader("Content-Type", "application/json")
        .end("{\"choices\":[]}"));
    Promise<Void> cancel = Promise.promise();
    Future<io.vertx.core.json.JsonObject> f = client.complete(call(base, Calls.KEY, false, 5_000, cancel.future()));
    assertThat(await(f)).isNotNull();
    cancel.complete();
    assertThat(f.succeeded()).isTrue();
    assertThat(await(client.complete(call(base, false)))).isNotNull();
  }

  @Test
  void serverClosingMidStreamIsAReset() {
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      resp.write(data(chunk("a", null)));
      vertx.setTimer(50, t -> req.connection().close());
    });
    List<String> got = new ArrayList<>();
    // relaxed timers: only the close may end this stream, even on a slow machine
    UpstreamClient relaxed = UpstreamClient.create(vertx, RELAXED.withIdleTimeoutMs(10_000).withFirstTokenTimeoutMs(10_000));
    UpstreamException e = failure(relaxed.stream(call(base, true), got::add));
    relaxed.close();
    assertThat(e.kind()).isEqualTo(Kind.RESET);
    assertThat(e.getMessage()).startsWith("Upstream connection closed mid-stream");
    assertThat(got).hasSize(1);
  }

  @Test
  void serverClosingBeforeAnswering() {
    String base = serve(req -> req.connection().close());
    UpstreamException e = failure(client.complete(call(base, false)));
    assertThat(e.kind()).isEqualTo(Kind.RESET);
    assertThat(e.status()).isZero();
  }

  @Test
  void nonStreamingBodyThatStallsIsAnIdleTimeout() {
    String base = serve(req -> {
      HttpServerResponse resp = req.response().setChunked(true).putHeader("Content-Type", "application/json");
      resp.write("{\"choices\":");
    });
    UpstreamException e = failure(client.complete(call(base, false)));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).isEqualTo("Upstream timed out: stream idle for 0.3 s");
  }

  @Test
  void slowNonStreamingAnswerIsBoundOnlyByTheDeadline() {
    String base = serve(req -> vertx.setTimer(500, t -> req.response()
        .putHeader("Content-Type", "application/json").end("{\"choices\":[]}")));
    assertThat(await(client.complete(call(base, false))).getJsonArray("choices")).isEmpty();
  }

  @Test
  void doneWithoutTheResponseEndingSucceedsAtOnceAndTheConnectionIsReleased(VertxTestContext ctx) {
    var serverSawClose = ctx.checkpoint();
    var clientDone = ctx.checkpoint();
    String base = serve(req -> {
      req.connection().closeHandler(v -> serverSawClose.flag());
      HttpServerResponse resp = sseHead(req);
      resp.write(data(chunk("a", "stop")) + data("[DONE]"));
    });
    long start = System.currentTimeMillis();
    client.stream(call(base, true), s -> { }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(System.currentTimeMillis() - start).isLessThan(250);
      clientDone.flag();
    })));
  }

  @Test
  void pooledConnectionIsReusedAcrossCalls() {
    String base = serve(req -> {
      if (req.getHeader("Accept").contains("event-stream")) {
        sseHead(req).end(data(chunk("a", "stop")) + data("[DONE]"));
      } else {
        req.response().putHeader("Content-Type", "application/json").end("{\"choices\":[]}");
      }
    });
    for (int i = 0; i < 3; i++) {
      await(relaxed.complete(call(base, false)));
      await(relaxed.stream(call(base, true), s -> { }));
    }
    assertThat(requests.get()).isEqualTo(6);
    assertThat(connections.get()).isEqualTo(1);
  }
  @Test
  void aLargeInlineImageReachesTheUpstreamWholeOnEveryCall() {
    String image = "data:image/png;base64," + "QUJD".repeat(1_500_000);
    JsonObject body = Calls.body(false);
    body.getJsonArray("messages").getJsonObject(0).put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "what is it?"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", image))));
    List<Buffer> received = new ArrayList<>();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(b -> {
          received.add(b);
          req.response().putHeader("Content-Type", "application/json").end("{\"choices\":[]}");
        }));
    await(server.listen());
    String base = "http://127.0.0.1:" + server.actualPort() + "/v1";
    for (int i = 0; i < 2; i++) {
      UpstreamCall call = new UpstreamCall(base, Calls.KEY, body, System.currentTimeMillis() + 10_000, null, "test");
      await(relaxed.complete(call));
    }
    assertThat(received).hasSize(2).allSatisfy(b -> assertThat(b).isEqualTo(body.toBuffer()));
  }
}
