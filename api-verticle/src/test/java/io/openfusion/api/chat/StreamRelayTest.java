package io.openfusion.api.chat;

import io.openfusion.api.ApiOptions;
import io.openfusion.api.ApiVerticle;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamSender;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The api's side of a client stream, with a real HTTP client and a fake router on {@link Addresses#ROUTER_CHAT}: the
 * router streams its parts ({@link StreamSender}), and the api asks for each next one only when the client's socket
 * can take more. A client that stops reading pauses its response, so the api's socket fills and the router is held
 * back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamRelayTest {

  /** One part of filler: enough bytes that a paused client fills the sockets after a few dozen parts. */
  private static final String FILLER = ": " + "x".repeat(64 * 1024) + "\n\n";
  /** The fake router gives up filling past this many parts, so a relay that never pushes back still ends the test. */
  private static final int MAX_PARTS = 2_000;
  private static final JsonObject MORE = new JsonObject();

  private Vertx vertx;
  private HttpClient client;
  private int port;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    ApiVerticle api = new ApiVerticle(config(new JsonObject()), new ApiOptions(null, List.of("api")));
    await(vertx.deployVerticle(api));
    port = api.port();
    client = vertx.createHttpClient();
  }

  private static OpenFusionConfig config(JsonObject timeouts) {
    return ConfigParser.parse(new JsonObject()
      .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("timeouts", timeouts)
      .put("panel", new JsonArray().add(new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("api_key", "k")
        .put("model", "m/one")))
      .put("judge", new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("api_key", "k").put("model", "j/judge")),
      Map.of(), "spec.yaml");
  }

  // ---- the fake router --------------------------------------------------------------------------------

  /**
   * Plays the router's side of one stream with the router's own {@link StreamSender}: what it sends next when the api
   * gives it credit.
   */
  private class FakeRouter {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    final Promise<ChatCommand> asked = Promise.promise();
    /** The index of the part the api failed, and how many parts the router had sent by then. */
    final Promise<int[]> partFailed = Promise.promise();
    final Promise<Void> lastAnswered = Promise.promise();
    volatile boolean filling = true;
    StreamSender stream;

    FakeRouter start() {
      await(vertx.eventBus().<JsonObject>consumer(Addresses.ROUTER_CHAT, message -> {
        asked.tryComplete(ChatCommand.fromJson(message.body()));
        stream = StreamSender.answering(StreamPost.of(vertx), message, new DeliveryOptions().setSendTimeout(60_000),
          System.currentTimeMillis() + 60_000);
        onCredit(message);
      }).completion());
      return this;
    }

    /**
     * The router's move when it may send: by default, filler until told to end.
     *
     * @param request the request that opened the stream
     */
    void onCredit(Message<?> request) {
      if (filling && sent.get() < MAX_PARTS) {
        send(request, FILLER);
      } else {
        last(request, "data: {\"last\":true}\n\ndata: [DONE]\n\n");
      }
    }

    void send(Message<?> request, String frames) {
      int index = sent.getAndIncrement();
      stream.send(batch(false, frames))
        .onSuccess(more -> {
          answered.incrementAndGet();
          onCredit(request);
        })
        .onFailure(failure -> partFailed.tryComplete(new int[] {index, sent.get()}));
    }

    void last(Message<?> request, String frames) {
      sent.incrementAndGet();
      stream.last(batch(true, frames), true)
        .onSuccess(confirmed -> lastAnswered.tryComplete())
        .onFailure(failure -> lastAnswered.tryFail(failure));
    }
  }

  private static Buffer batch(boolean last, String frames) {
    return StreamBatch.seal(StreamBatch.start().appendString(frames), last, last);
  }

  // ---- the client -------------------------------------------------------------------------------------

  private Future<HttpClientResponse> post(boolean stream) {
    JsonObject body = new JsonObject().put("model", "openfusion").put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
      .compose(request -> request.send(body.encode()));
  }

  /** A response read whole: the body is asked for as soon as the head is in, so no byte is missed. */
  private record Exchange(HttpClientResponse response, Buffer body) {
  }

  private Exchange exchange() {
    return await(post(true).compose(response -> response.body().map(body -> new Exchange(response, body))));
  }

  /** A client that reads nothing after the status line: its response stays paused. */
  private HttpClientResponse stalledClient() {
    Promise<HttpClientResponse> head = Promise.promise();
    post(true).onSuccess(response -> {
      response.pause();
      head.complete(response);
    }).onFailure(head::fail);
    return await(head.future());
  }

  /**
   * Waits until the router's sending stopped: after some parts were answered, one stays unanswered over three looks
   * (a paused client's socket fills within a few megabytes).
   */
  private void untilHeld(FakeRouter router) {
    int[] last = {-1};
    int[] looks = {0};
    waitFor(() -> {
      int sent = router.sent.get();
      looks[0] = sent > 1 && sent == router.answered.get() + 1 && sent == last[0] ? looks[0] + 1 : 0;
      last[0] = sent;
      return looks[0] >= 3;
    }, 150);
  }

  // ---- specs ---------------------------------------------------------------------------------------------

  @Test
  void partsAreWrittenInOrderAndTheStreamEndsAtTheLastPart() {
    FakeRouter router = new FakeRouter() {
      @Override
      void onCredit(Message<?> request) {
        switch (sent.get()) {
          case 0 -> send(request, "data: {\"n\":1}\n\n");
          case 1 -> send(request, ": progress\n\ndata: {\"n\":2}\n\n");
          default -> last(request, "data: {\"n\":3}\n\ndata: [DONE]\n\n");
        }
      }
    }.start();

    Exchange exchange = exchange();
    HttpClientResponse response = exchange.response();
    String body = exchange.body().toString();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
    assertThat(body).isEqualTo("data: {\"n\":1}\n\n: progress\n\ndata: {\"n\":2}\n\ndata: {\"n\":3}\n\ndata: [DONE]\n\n");
    await(router.lastAnswered.future());
    ChatCommand command = await(router.asked.future());
    assertThat(command.stream()).isTrue();
    assertThat(command.deadline()).isGreaterThan(System.currentTimeMillis());
  }

  @Test
  void aPartIsNotAnsweredWhileTheClientSocketIsFullAndIsOnceTheClientReadsAgain() {
    FakeRouter router = new FakeRouter().start();
    HttpClientResponse response = stalledClient();

    untilHeld(router);
    int heldAt = router.sent.get();
    assertThat(heldAt).as("the router was held back long before its last part").isLessThan(MAX_PARTS);

    // the client reads again: the held part is answered, the router ends the stream, the client gets all of it
    router.filling = false;
    long[] bytes = {0};
    Promise<Void> ended = Promise.promise();
    response.handler(chunk -> bytes[0] += chunk.length()).endHandler(ended::complete);
    response.resume();
    await(ended.future());
    await(router.lastAnswered.future());
    assertThat(router.answered.get()).isGreaterThanOrEqualTo(heldAt);
    assertThat(bytes[0]).isEqualTo((long) (router.sent.get() - 1) * FILLER.length()
      + "data: {\"last\":true}\n\ndata: [DONE]\n\n".length());
  }

  @Test
  void theLastPartIsAnsweredOnlyOnceTheClientHasIt() {
    // a last part far bigger than the sockets can hold: the client has it only once it read it all
    String frames = FILLER.repeat(256) + "data: [DONE]\n\n";
    FakeRouter router = new FakeRouter() {
      @Override
      void onCredit(Message<?> request) {
        last(request, frames);
      }
    }.start();
    HttpClientResponse response = stalledClient();

    Promise<Void> window = Promise.promise();
    vertx.setTimer(300, t -> window.complete());
    await(window.future());
    assertThat(router.lastAnswered.future().isComplete())
      .as("not confirmed while the client has not read the last bytes").isFalse();

    long[] bytes = {0};
    Promise<Void> ended = Promise.promise();
    response.handler(chunk -> bytes[0] += chunk.length()).endHandler(ended::complete);
    response.resume();
    await(ended.future());
    await(router.lastAnswered.future());
    assertThat(bytes[0]).isEqualTo(frames.length());
  }

  @Test
  void aClientThatLeavesBeforeItHasTheLastPartMakesTheLastPartFail() {
    String frames = FILLER.repeat(256) + "data: [DONE]\n\n";
    FakeRouter router = new FakeRouter() {
      @Override
      void onCredit(Message<?> request) {
        last(request, frames);
      }
    }.start();
    HttpClientResponse response = stalledClient();
    waitFor(() -> router.sent.get() == 1, 20);

    response.exceptionHandler(expected -> { }); // the client's own side of the close
    response.request().connection().close();

    Throwable failure = failureOf(router.lastAnswered.future());
    assertThat(failure).as("the request is not a success: the client never had its last bytes")
      .isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(ErrorCode.CLIENT_GONE.status());
  }

  @Test
  void aClientThatLeavesMakesTheHeldPartFailAndPublishesTheCancel() {
    FakeRouter router = new FakeRouter().start();
    Promise<String> cancelled = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.CANCEL,
      message -> cancelled.tryComplete(message.body().getString("request_id"))).completion());
    HttpClientResponse response = stalledClient();
    untilHeld(router);

    response.exceptionHandler(expected -> { }); // the client's own side of the close
    response.request().connection().close();

    int[] failed = await(router.partFailed.future());
    assertThat(failed[0]).as("the router learns at the part it waits on").isEqualTo(failed[1] - 1);
    assertThat(await(cancelled.future())).isEqualTo(await(router.asked.future()).requestId());
  }

  @Test
  void aRefusalBeforeTheFirstPartIsAnHttpErrorWithRetryAfter() {
    new FakeRouter() {
      @Override
      void onCredit(Message<?> request) {
        stream.refuse(ApiError.of(ErrorCode.RATE_LIMIT_EXCEEDED, "Too many requests for this key").withRetryAfter(3));
      }
    }.start();

    Exchange exchange = exchange();
    HttpClientResponse response = exchange.response();
    JsonObject body = exchange.body().toJsonObject();

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.getHeader("Retry-After")).isEqualTo("3");
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    assertThat(body).isEqualTo(ApiError.of(ErrorCode.RATE_LIMIT_EXCEEDED, "Too many requests for this key").toJson());
  }

  @Test
  void aRouterThatGoesQuietAfterTheFirstPartEndsTheStreamWithAnErrorChunkThenDone() {
    // the wait for a part is bounded by the request's deadline (1 s here) and the bus's grace
    ApiVerticle api = new ApiVerticle(config(new JsonObject().put("total_seconds", 1)),
      new ApiOptions(null, List.of("api")));
    await(vertx.deployVerticle(api));
    port = api.port();
    new FakeRouter() {
      @Override
      void onCredit(Message<?> request) {
        if (sent.get() == 0) {
          send(request, "data: {\"n\":1}\n\n");
        }
        // then nothing: its node died, say
      }
    }.start();

    Exchange exchange = exchange();
    HttpClientResponse response = exchange.response();
    String body = exchange.body().toString();

    assertThat(response.statusCode()).isEqualTo(200);
    String[] frames = body.split("\n\n");
    assertThat(frames).hasSize(3);
    assertThat(frames[0]).isEqualTo("data: {\"n\":1}");
    assertThat(new JsonObject(frames[1].substring("data: ".length())).getJsonObject("error").getString("code"))
      .isEqualTo(ErrorCode.TIMEOUT.wire());
    assertThat(frames[2]).isEqualTo("data: [DONE]");
  }

  // ---- waiting -------------------------------------------------------------------------------------------

  private static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 20 s", e);
    }
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      Object value = future.await(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 20 s", e);
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable failure) {
      return failure;
    }
  }

  /** Polls {@code condition} from the test thread every {@code everyMs} (the test's timeout bounds the wait). */
  private static void waitFor(BooleanSupplier condition, long everyMs) {
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
