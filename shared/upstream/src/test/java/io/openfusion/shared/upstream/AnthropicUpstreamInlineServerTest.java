package io.openfusion.shared.upstream;

import io.openfusion.shared.config.Provider;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.openfusion.shared.upstream.Calls.await;
import static io.openfusion.shared.upstream.Calls.failure;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.messageDelta;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.messageStart;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.messageStop;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.ping;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.sse;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.textDelta;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.textStart;
import static io.openfusion.shared.upstream.anthropic.AnthropicEventsFixture.thinkingDelta;
import static org.assertj.core.api.Assertions.assertThat;

/** Anthropic stream behaviour that needs control over timing and connection state: an inline Vert.x server. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class AnthropicUpstreamInlineServerTest {

  private static final UpstreamOptions FAST = UpstreamOptions.defaults()
      .withConnectTimeoutMs(1_000).withFirstTokenTimeoutMs(300).withIdleTimeoutMs(300);

  private Vertx vertx;
  private UpstreamClient client;
  private HttpServer server;

  @BeforeAll
  static void warmUp() {
    Calls.warmUp();
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = UpstreamClient.create(vertx, FAST);
  }

  @AfterEach
  void tearDown() {
    await(client.close());
    if (server != null) {
      await(server.close());
    }
  }

  private String serve(Handler<HttpServerRequest> handler) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(b -> handler.handle(req)));
    await(server.listen());
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  private static HttpServerResponse sseHead(HttpServerRequest req) {
    return req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
  }

  private static UpstreamCall call(String base) {
    return new UpstreamCall(base, Calls.KEY, Calls.body(true), System.currentTimeMillis() + 4_000, null, "claude")
        .withProvider(Provider.ANTHROPIC);
  }

  @Test
  void messageStopEndsTheCallEvenIfTheConnectionStaysOpen() {
    String base = serve(req -> sseHead(req).write(sse(messageStart("m", 2)) + sse(textStart(0))
        + sse(textDelta(0, "done")) + sse(messageDelta("end_turn", 1)) + sse(messageStop())));
    List<String> received = new ArrayList<>();
    long start = System.currentTimeMillis();

    StreamResult result = await(client.stream(call(base), received::add));

    assertThat(result.finishReason()).isEqualTo("stop");
    assertThat(received).hasSize(3);
    assertThat(System.currentTimeMillis() - start).isLessThan(1_500);
  }

  @Test
  void thinkingDeltasStopTheFirstTokenClockAndKeepTheStreamAlive() {
    // Thinking for 600 ms (twice the first-token timeout) before any visible text: deltas every 100 ms show the
    // upstream is alive, so neither the first-token nor the idle clock may fire.
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      resp.write(sse(messageStart("m", 2)));
      JsonObject thinkingStart = new JsonObject().put("type", "content_block_start").put("index", 0)
          .put("content_block", new JsonObject().put("type", "thinking").put("thinking", ""));
      vertx.setTimer(50, t -> resp.write(sse(thinkingStart)));
      int[] n = {0};
      vertx.setPeriodic(100, 100, id -> {
        if (++n[0] <= 6) {
          resp.write(sse(thinkingDelta(0, "step " + n[0])));
        } else {
          vertx.cancelTimer(id);
          resp.end(sse(textStart(1)) + sse(textDelta(1, "answer")) + sse(messageDelta("end_turn", 5))
              + sse(messageStop()));
        }
      });
    });
    List<String> received = new ArrayList<>();

    StreamResult result = await(client.stream(call(base), received::add));

    // six reasoning chunks, then the answer, the finish chunk and the usage chunk
    assertThat(received).hasSize(9);
    assertThat(received.subList(0, 6)).allSatisfy(c -> assertThat(c).contains("reasoning_content").doesNotContain("\"content\""));
    assertThat(received.get(6)).contains("\"content\":\"answer\"");
    assertThat(result.finishReason()).isEqualTo("stop");
  }

  @Test
  void pingsAloneDoNotCountAsFirstToken() {
    String base = serve(req -> {
      HttpServerResponse resp = sseHead(req);
      resp.write(sse(messageStart("m", 2)));
      long timer = vertx.setPeriodic(100, id -> resp.write(sse(ping())));
      resp.closeHandler(v -> vertx.cancelTimer(timer));
    });
    UpstreamException e = failure(client.stream(call(base), d -> { }));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("first token");
  }
}
