package io.openfusion.router.stream;

import io.openfusion.router.ApiPeer;
import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.openfusion.router.ApiPeer.await;
import static io.openfusion.router.ApiPeer.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's one writer of a client stream, against a fake api peer that answers its parts, or holds them the way an
 * api whose client socket is full does. A test consumer stands in for the router's chat consumer: it builds the
 * {@link ClientStream} on the request and the spec writes to it on the router's context.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ClientStreamTest {

  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  private Vertx vertx;
  private Context router;
  private ClientStream stream;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Opens a stream the way the router does for a streamed request, with {@code peer} as the api. */
  private ApiPeer open(boolean answering) {
    String address = "test.client-stream." + ADDRESSES.incrementAndGet();
    router = vertx.getOrCreateContext();
    Promise<ClientStream> opened = Promise.promise();
    Promise<Void> registered = Promise.promise();
    router.runOnContext(v -> vertx.eventBus().consumer(address, message ->
        opened.complete(new ClientStream(vertx, message, System.currentTimeMillis() + 30_000)))
      .completion().onComplete(registered));
    await(registered.future());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(30_000);
    ApiPeer peer = answering ? ApiPeer.answering(vertx, address, new JsonObject(), options)
      : ApiPeer.holding(vertx, address, new JsonObject(), options);
    stream = await(opened.future());
    return peer;
  }

  /** Runs {@code turn} as one event-loop turn on the router's context. */
  private <T> T onRouter(Function<ClientStream, T> turn) {
    Promise<T> done = Promise.promise();
    router.runOnContext(v -> done.complete(turn.apply(stream)));
    return await(done.future());
  }

  private void write(String text) {
    onRouter(s -> {
      s.write(Buffer.buffer(text));
      return null;
    });
  }

  /** Lets the router's context run a few more turns (a flush it scheduled would have gone out by then). */
  private void settle() {
    for (int i = 0; i < 3; i++) {
      onRouter(s -> null);
    }
  }

  private static String text(StreamBatch part) {
    return part.frames().toString();
  }

  @Test
  void whatOneTurnWritesArrivesAsOnePart() {
    ApiPeer api = open(false);

    onRouter(s -> {
      s.write(SseFrames.comment("progress 1"));
      s.writeData("{\"a\":1}");
      s.write(SseFrames.comment("progress 2"));
      return null;
    });

    StreamBatch first = await(api.part(0));
    assertThat(first.last()).isFalse();
    assertThat(text(first)).isEqualTo(": progress 1\n\ndata: {\"a\":1}\n\n: progress 2\n\n");
    settle();
    assertThat(await(api.count())).isEqualTo(1);
  }

  @Test
  void noSecondPartLeavesBeforeTheApiAnsweredTheFirstAndWhatWaitedGoesAsOne() {
    ApiPeer api = open(false);
    write("A");
    assertThat(text(await(api.part(0)))).isEqualTo("A");

    // two more turns while the first part is unanswered: nothing leaves
    write("B");
    write("C");
    settle();
    assertThat(await(api.count())).isEqualTo(1);

    api.answer();
    StreamBatch second = await(api.part(1));
    assertThat(text(second)).as("what waited travels together, in order").isEqualTo("BC");
  }

  @Test
  void theStreamIsFullAboveHighWaterAndProducersGoOnOnceTheWaitingBatchLeaves() {
    ApiPeer api = open(false);
    write("A");
    await(api.part(0));

    boolean[] resumed = {false};
    onRouter(s -> {
      s.write(Buffer.buffer(new byte[ClientStream.HIGH_WATER]));
      s.whenReady(() -> resumed[0] = true);
      return null;
    });
    assertThat(this.<Boolean>onRouter(ClientStream::full)).isTrue();
    assertThat(this.<Boolean>onRouter(s -> resumed[0])).as("a full stream holds its producer back").isFalse();

    api.answer();
    assertThat(await(api.part(1)).frames().length()).isEqualTo(ClientStream.HIGH_WATER);
    assertThat(this.<Boolean>onRouter(s -> resumed[0])).as("room again: the producer goes on").isTrue();
    assertThat(this.<Boolean>onRouter(ClientStream::full)).isFalse();
  }

  @Test
  void whenReadyRunsAtOnceWhileThereIsRoom() {
    open(false);
    boolean ran = onRouter(s -> {
      boolean[] now = {false};
      s.write(Buffer.buffer("small"));
      s.whenReady(() -> now[0] = true);
      return now[0];
    });
    assertThat(ran).isTrue();
  }

  @Test
  void endCompletesOnlyOnceTheApiConfirmedTheLastPart() {
    ApiPeer api = open(false);
    write("A");
    await(api.part(0));

    Future<Void> ended = onRouter(s -> {
      s.write(Buffer.buffer("B"));
      return s.end(true);
    });
    settle();
    assertThat(await(api.count())).as("the last part waits for the credit of the one before").isEqualTo(1);
    assertThat(ended.isComplete()).isFalse();

    api.answer();
    StreamBatch last = await(api.part(1));
    assertThat(last.last()).isTrue();
    assertThat(last.success()).isTrue();
    assertThat(text(last)).isEqualTo("B");
    settle();
    assertThat(ended.isComplete()).as("not a success before the client has it").isFalse();

    api.answer();
    await(ended);
    assertThat(this.<Boolean>onRouter(ClientStream::ended)).isTrue();
  }

  @Test
  void failBeforeTheFirstFrameRefusesTheRequestWithTheErrorsStatusAndEnvelope() {
    ApiPeer api = open(true);

    Future<Void> failed = onRouter(s -> s.fail(ApiError.of(ErrorCode.RATE_LIMIT_EXCEEDED, "Slow down").withRetryAfter(7)));

    Throwable refusal = failureOf(api.reply());
    assertThat(refusal).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refusal).failureCode()).isEqualTo(429);
    ApiError rebuilt = ApiError.from(refusal, "router");
    assertThat(rebuilt.toJson()).isEqualTo(ApiError.of(ErrorCode.RATE_LIMIT_EXCEEDED, "Slow down").toJson());
    assertThat(rebuilt.retryAfterSeconds()).isEqualTo(7);
    await(failed);
    assertThat(await(api.count())).as("no part at all: the api answers with an HTTP error").isZero();
  }

  @Test
  void failAfterAFrameAppendsAnErrorChunkAndDoneAsAnUnsuccessfulLastPart() {
    ApiPeer api = open(true);
    write("data: {\"x\":1}\n\n");
    await(api.part(0));

    Future<Void> failed = onRouter(s -> s.fail(ApiError.of(ErrorCode.JUDGE_STREAM_ERROR, "Judge failed: cut")));

    List<StreamBatch> parts = await(api.untilLast());
    StreamBatch last = parts.get(parts.size() - 1);
    assertThat(last.success()).isFalse();
    List<String> frames = ApiPeer.frames(List.of(last));
    assertThat(frames).hasSize(2);
    assertThat(new JsonObject(frames.get(0).substring("data: ".length())))
      .isEqualTo(new JsonObject().put("error", ApiError.of(ErrorCode.JUDGE_STREAM_ERROR, "Judge failed: cut").errorObject()));
    assertThat(frames.get(1)).isEqualTo("data: [DONE]");
    await(failed);
  }

  @Test
  void aFrameWrittenInTheSameTurnStillMakesTheFailureInBand() {
    ApiPeer api = open(true);

    onRouter(s -> {
      s.write(Buffer.buffer(": progress\n\n"));
      s.fail(ApiError.of(ErrorCode.PANEL_ERROR, "All panel members failed"));
      return null;
    });

    List<StreamBatch> parts = await(api.untilLast());
    assertThat(ApiPeer.text(parts)).startsWith(": progress\n\ndata: {\"error\"").endsWith("data: [DONE]\n\n");
  }

  @Test
  void anApiThatFailsAPartMakesTheStreamGoneReleasesWaitingProducersAndEndsWhatFollows(VertxTestContext test) {
    ApiPeer api = open(false);
    write("A");
    await(api.part(0));
    List<String> events = new ArrayList<>();
    onRouter(s -> {
      s.write(Buffer.buffer(new byte[ClientStream.HIGH_WATER]));
      s.whenReady(() -> events.add("released"));
      s.gone().onFailure(gone -> events.add("gone"));
      return null;
    });

    api.failHeld(ErrorCode.CLIENT_GONE.status(), "the client went away");

    Future<Void> ended = waitFor(() -> onRouter(s -> events.size() == 2)).compose(both -> {
      test.verify(() -> assertThat(events).containsExactlyInAnyOrder("gone", "released"));
      // a producer that finishes after the api left must not wait forever for a confirmation that cannot come
      return onRouter(s -> s.end(true));
    });
    ended.onComplete(test.failing(failure -> test.verify(() -> {
      assertThat(this.<Boolean>onRouter(s -> s.gone().failed())).isTrue();
      test.completeNow();
    })));
  }

  @Test
  void aFailureAfterTheApiLeftAlsoEnds() {
    ApiPeer api = open(false);
    write("A");
    await(api.part(0));
    api.failHeld(ErrorCode.CLIENT_GONE.status(), "the client went away");
    await(waitFor(() -> onRouter(s -> s.gone().isComplete())));

    Future<Void> failed = onRouter(s -> s.fail(ApiError.of(ErrorCode.CLIENT_GONE, "The client went away")));

    assertThat(failureOf(failed)).isNotNull();
    assertThat(await(api.count())).isEqualTo(1);
  }

  /** Polls {@code condition} on the test thread (bounded by the test's timeout). */
  private static Future<Void> waitFor(java.util.function.Supplier<Boolean> condition) {
    for (int i = 0; i < 500; i++) {
      if (condition.get()) {
        return Future.succeededFuture();
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Future.failedFuture("condition not met within 5 s");
  }
}
