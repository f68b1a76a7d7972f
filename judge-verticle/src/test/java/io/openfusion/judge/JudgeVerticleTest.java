package io.openfusion.judge;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamReceiver;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisPart;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judge worker's contract, with the spec as the router on {@link Addresses#JUDGE_SYNTHESIZE} (answering the
 * judge's parts, or holding or failing them) and a fake provider on 127.0.0.1 streaming the judge model's answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class JudgeVerticleTest {

  private Vertx vertx;
  private HttpServer provider;
  /** What the fake provider does with each request (after reading its body). */
  private volatile Handler<HttpServerRequest> providing;
  private final List<JsonObject> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    // a small send buffer, so a paused judge call backs the provider up within kilobytes
    provider = vertx.createHttpServer(new HttpServerOptions().setSendBufferSize(16 * 1024))
      .requestHandler(request -> request.body().onSuccess(body -> {
        asked.add(body.toJsonObject());
        providing.handle(request);
      }));
    await(provider.listen(0, "127.0.0.1"));
    String base = "http://127.0.0.1:" + provider.actualPort() + "/v1";
    var config = ConfigParser.parse(new JsonObject()
      .put("panel", new JsonArray().add(new JsonObject().put("base_url", base).put("api_key", "k").put("model", "m/one")))
      .put("judge", new JsonObject().put("base_url", base).put("api_key", "sk-judge").put("model", "j/judge")),
      Map.of(), "spec.yaml");
    await(vertx.deployVerticle(new JudgeVerticle(config)));
  }

  @AfterEach
  void tearDown() {
    await(provider.close());
  }

  // ---- the provider --------------------------------------------------------------------------------------

  private static String chunk(String content, String finishReason) {
    JsonObject delta = content == null ? new JsonObject() : new JsonObject().put("content", content);
    return "data: " + new JsonObject().put("id", "c1").put("object", "chat.completion.chunk")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
        .put("finish_reason", finishReason))).encode() + "\n\n";
  }

  private static String usage(int prompt, int completion) {
    return "data: " + new JsonObject().put("id", "c1").put("choices", new JsonArray())
      .put("usage", new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion)).encode() + "\n\n";
  }

  private static HttpServerResponse sse(HttpServerRequest request) {
    return request.response().setChunked(true).putHeader("content-type", "text/event-stream");
  }

  /** Streams {@code texts} as content chunks, then a stop, the usage and {@code [DONE]}. */
  private void streams(String... texts) {
    providing = request -> {
      HttpServerResponse response = sse(request);
      for (String text : texts) {
        response.write(chunk(text, null));
      }
      response.end(chunk(null, "stop") + usage(120, 9) + "data: [DONE]\n\n");
    };
  }

  // ---- the router ----------------------------------------------------------------------------------------

  /**
   * Plays the router's side of one synthesis with the router's own {@link StreamReceiver}: records the parts, and asks
   * for the next at once or holds it back.
   */
  private final class RouterPeer {
    final Context context = vertx.getOrCreateContext();
    final List<SynthesisPart> parts = new ArrayList<>();
    final Promise<SynthesisPart> last = Promise.promise();
    final Promise<Throwable> refused = Promise.promise();
    final Promise<Void> firstPart = Promise.promise();
    volatile boolean answering;
    StreamReceiver receiver;
    boolean holding;

    RouterPeer(boolean answering, boolean emitAnalysis) {
      this(answering, emitAnalysis, false);
    }

    RouterPeer(boolean answering, boolean emitAnalysis, boolean whole) {
      this.answering = answering;
      SynthesisCommand command = new SynthesisCommand("req-1", new UpstreamRef(UpstreamRef.JUDGE, 0, "j/judge", "judge"),
        new JsonArray().add(new JsonObject().put("role", "user").put("content", "What is 6*7?")),
        new JsonObject().put("temperature", 0.2),
        new JsonArray().add(new JsonObject().put("label", "one").put("content", "answer A"))
          .add(new JsonObject().put("label", "two").put("content", "answer B")),
        emitAnalysis, System.currentTimeMillis() + 20_000, "caller").wantingWhole(whole);
      context.runOnContext(v -> {
        StreamPost post = StreamPost.of(context);
        receiver = new StreamReceiver(post, command.deadline());
        receiver.follow(post.ready().compose(posted -> vertx.eventBus().request(Addresses.JUDGE_SYNTHESIZE,
          command.toJson(), receiver.options(Deadlines.until(command.deadline(), command.requestId())))),
          new StreamReceiver.Parts() {
            @Override
            public void part(Object body) {
              take((JsonObject) body);
            }

            @Override
            public void failed(Throwable failure) {
              refused.tryComplete(failure);
            }
          });
      });
    }

    private void take(JsonObject body) {
      SynthesisPart part = SynthesisPart.fromJson(body);
      parts.add(part);
      firstPart.tryComplete();
      if (part.last()) {
        receiver.end();
        last.tryComplete(part);
      } else if (answering) {
        receiver.more();
      } else {
        holding = true;
      }
    }

    /** Asks for more from now on, starting with the part held. */
    void answerAll() {
      context.runOnContext(v -> {
        answering = true;
        if (holding) {
          holding = false;
          receiver.more();
        }
      });
    }

    /** Stops at the part held, as a router whose client left does. */
    void failHeld() {
      context.runOnContext(v -> receiver.stop(499, "the client went away"));
    }

    String text() {
      return parts.stream().map(SynthesisPart::text).collect(Collectors.joining());
    }
  }

  // ---- specs ---------------------------------------------------------------------------------------------

  @Test
  void textPartsComeInOrderThenTheLastPartCarriesUsageAndFinish() {
    streams("Forty", "-two", ", as the panel said.");

    RouterPeer router = new RouterPeer(true, false);
    SynthesisPart last = await(router.last.future());

    assertThat(router.text()).isEqualTo("Forty-two, as the panel said.");
    assertThat(router.parts.subList(0, router.parts.size() - 1)).allMatch(part -> !part.last());
    assertThat(last.result().finishReason()).isEqualTo("stop");
    assertThat(last.result().usage().getInteger("total_tokens")).isEqualTo(129);
    assertThat(last.result().error()).isNull();
    assertThat(last.result().analysis()).isNull();
    // the judge model is always streamed with usage, and reads the panel's answers
    JsonObject sent = asked.get(0);
    assertThat(sent.getString("model")).isEqualTo("j/judge");
    assertThat(sent.getBoolean("stream")).isTrue();
    assertThat(sent.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(sent.getDouble("temperature")).isEqualTo(0.2);
    assertThat(sent.getJsonArray("messages").encode()).contains("answer A", "answer B");
  }

  @Test
  void theAnalysisTrailerNeverReachesTheTextAndEndsUpInTheResult() {
    streams("The answer is 42.", "\n===ANA", "LYSIS===\n{\"confidence\":", "0.9}");

    RouterPeer router = new RouterPeer(true, true);
    SynthesisPart last = await(router.last.future());

    assertThat(router.text()).isEqualTo("The answer is 42.\n");
    assertThat(router.parts).noneMatch(part -> part.text().contains("="));
    assertThat(last.result().analysis()).isEqualTo(new JsonObject().put("confidence", 0.9));
  }

  @Test
  void aProviderFailureBeforeAnyTextRefusesTheSynthesis() {
    providing = request -> request.response().setStatusCode(500).putHeader("content-type", "application/json")
      .end(new JsonObject().put("error", new JsonObject().put("message", "the judge model crashed")).encode());

    RouterPeer router = new RouterPeer(true, false);
    Throwable refusal = await(router.refused.future());

    assertThat(refusal).isInstanceOf(ReplyException.class);
    ApiError error = ApiError.from(refusal, "judge");
    assertThat(error.status()).isEqualTo(500);
    assertThat(error.getMessage()).contains("the judge model crashed").doesNotContain("sk-judge");
    assertThat(router.parts).isEmpty();
  }

  @Test
  void aJudgeThatWritesNoAnswerTextRefusesTooSoTheRouterCanFallBack() {
    providing = request -> sse(request).end("data: " + new JsonObject().put("id", "c1")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("delta", new JsonObject().put("reasoning_content", "thinking...")).put("finish_reason", "length")))
      .encode() + "\n\ndata: [DONE]\n\n");

    RouterPeer router = new RouterPeer(true, false);
    ApiError error = ApiError.from(await(router.refused.future()), "judge");

    assertThat(error.getMessage()).contains("empty answer", "length");
    assertThat(router.parts).isEmpty();
  }

  @Test
  void anAnswerWantedWholeComesInOnePartWithItsUsageAndFinish() {
    streams("Forty", "-two", ", as the panel said.");

    RouterPeer router = new RouterPeer(true, false, true);
    SynthesisPart last = await(router.last.future());

    assertThat(router.parts).containsExactly(last);
    assertThat(last.text()).isEqualTo("Forty-two, as the panel said.");
    assertThat(last.result().finishReason()).isEqualTo("stop");
    assertThat(last.result().usage().getInteger("total_tokens")).isEqualTo(129);
  }

  @Test
  void anAnswerWantedWholeThatFailsMidwayIsRefusedSoTheRouterFallsBack() {
    providing = request -> {
      HttpServerResponse response = sse(request);
      response.write(chunk("Partial", null)).onSuccess(v -> vertx.setTimer(50, t -> request.connection().close()));
    };

    RouterPeer router = new RouterPeer(true, false, true);
    Throwable refusal = await(router.refused.future());

    assertThat(ApiError.from(refusal, "judge").getMessage()).isNotBlank();
    assertThat(router.parts).isEmpty();
  }

  @Test
  void aProviderFailureAfterTextIsTheLastPartsError() {
    providing = request -> {
      HttpServerResponse response = sse(request);
      response.write(chunk("Partial", null)).onSuccess(v -> vertx.setTimer(50, t -> request.connection().close()));
    };

    RouterPeer router = new RouterPeer(true, false);
    SynthesisPart last = await(router.last.future());

    assertThat(router.text()).isEqualTo("Partial");
    assertThat(last.result().error()).isNotNull();
    assertThat(last.result().error().getString("message")).isNotBlank();
  }

  @Test
  void aRouterThatStopsAnsweringPausesTheJudgesUpstream() {
    String piece = "y".repeat(2_000);
    int[] written = {0};
    boolean[] released = {false};
    HttpServerResponse[] open = {null};
    providing = request -> {
      HttpServerResponse response = sse(request);
      open[0] = response;
      pump(response, piece, written, released);
    };

    RouterPeer router = new RouterPeer(false, false);
    await(router.firstPart.future());
    // the provider keeps writing until the judge stops reading: then its writes stop draining
    int[] seen = {-1};
    waitUntil(() -> {
      int now = written[0];
      boolean still = now == seen[0] && open[0].writeQueueFull();
      seen[0] = now;
      return still;
    }, 150);
    assertThat(written[0] * piece.length()).as("the judge holds only a bounded amount for a router that waits")
      .isLessThan(2_000 * piece.length());
    assertThat(router.last.future().isComplete()).isFalse();

    released[0] = true;
    router.answerAll();
    SynthesisPart last = await(router.last.future());
    assertThat(last.result().error()).isNull();
    assertThat(router.text()).hasSize(written[0] * piece.length());
  }

  /** Writes chunks while the socket takes them and again at each drain, until released (then ends at the next). */
  private void pump(HttpServerResponse response, String piece, int[] written, boolean[] released) {
    if (released[0]) {
      response.end(chunk(null, "stop") + "data: [DONE]\n\n");
      return;
    }
    while (!response.writeQueueFull() && written[0] < 2_000) {
      response.write(chunk(piece, null));
      written[0]++;
    }
    response.drainHandler(drained -> pump(response, piece, written, released));
  }

  @Test
  void aRouterThatFailsAPartStopsTheJudgesUpstreamCall() {
    Promise<Void> closed = Promise.promise();
    providing = request -> {
      request.connection().closeHandler(v -> closed.tryComplete());
      sse(request).write(chunk("The first words", null));
    };

    RouterPeer router = new RouterPeer(false, false);
    await(router.firstPart.future());
    router.failHeld();

    await(closed.future());
    assertThat(router.last.future().isComplete()).isFalse();
  }

  // ---- waiting -------------------------------------------------------------------------------------------

  private static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 20 s", e);
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, long everyMs) {
    while (!condition.getAsBoolean()) {
      try {
        Thread.sleep(everyMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
