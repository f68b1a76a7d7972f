package io.openfusion.shared.bus;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream between two contexts ({@link StreamSender} to {@link StreamReceiver}, each through its context's
 * {@link StreamPost}): one part at a time and in order, the last confirmed, a stop or a refusal reaching the other side
 * as the failure it names, a quiet sender timed out, and nothing left open at either post afterwards.
 */
class StreamProtocolTest {

  private static final String OPEN = "stream-protocol-test";

  private Vertx vertx;
  private Context senderSide;
  private Context receiverSide;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final Promise<Throwable> receiverFailed = Promise.promise();
  private final Promise<StreamSender> opened = Promise.promise();
  private StreamReceiver receiver;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    senderSide = vertx.getOrCreateContext();
    receiverSide = vertx.getOrCreateContext();
    on(senderSide, () -> StreamPost.of(senderSide).ready()
      .compose(posted -> vertx.eventBus().consumer(OPEN, request -> opened.complete(StreamSender.answering(
        StreamPost.of(senderSide), request, new DeliveryOptions().setSendTimeout(10_000),
        System.currentTimeMillis() + 10_000))).completion()));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Opens a stream from the receiver's side, with {@code deadline}; every part is recorded, then {@code onPart}. */
  private StreamSender open(long deadline, Consumer<StreamReceiver> onPart) throws Exception {
    on(receiverSide, () -> {
      StreamPost post = StreamPost.of(receiverSide);
      return post.ready().map(posted -> {
        receiver = new StreamReceiver(post, deadline);
        receiver.follow(vertx.eventBus().request(OPEN, "open", receiver.options(new DeliveryOptions()
          .setSendTimeout(10_000))), new StreamReceiver.Parts() {
            @Override
            public void part(Object body) {
              received.add(text(body));
              onPart.accept(receiver);
            }

            @Override
            public void failed(Throwable failure) {
              receiverFailed.tryComplete(failure);
            }
          });
        return null;
      });
    });
    return opened.future().await(5, TimeUnit.SECONDS);
  }

  private static String text(Object body) {
    if (body instanceof JsonObject json) {
      return json.getString("text");
    }
    StreamBatch batch = StreamBatch.decode(body);
    return batch.frames().toString(StandardCharsets.UTF_8) + (batch.last() ? "|last" : "");
  }

  private static Buffer part(String frames, boolean last) {
    return StreamBatch.seal(StreamBatch.start().appendString(frames), last, last);
  }

  private <T> T on(Context context, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    try {
      return done.future().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Throwable failureOf(Context context, Supplier<Future<Void>> work) {
    Promise<Throwable> failure = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done -> failure.complete(done.cause())));
    return failure.future().await();
  }

  private int openAt(Context context) {
    return on(context, () -> Future.succeededFuture(StreamPost.of(context).openStreams()));
  }

  @Test
  void partsGoOneAtATimeInOrderAndTheLastIsConfirmed() throws Exception {
    StreamSender sender = open(System.currentTimeMillis() + 10_000, parts -> { });

    Future<Void> firstCredit = onSender(() -> sender.send(part("a", false)));
    awaitReceived(1);
    assertThat(on(senderSide, () -> Future.succeededFuture(sender.ready())))
      .as("no credit while the receiver holds the part").isFalse();
    assertThat(firstCredit.isComplete()).isFalse();
    assertThat(StreamPost.openStreams(vertx)).as("the node's count: a sender and a receiver").isEqualTo(2);

    onReceiver(parts -> parts.more());
    firstCredit.await(5, TimeUnit.SECONDS);
    Future<Void> secondCredit = onSender(() -> sender.send(part("b", false)));
    awaitReceived(2);
    onReceiver(parts -> parts.more());
    secondCredit.await(5, TimeUnit.SECONDS);
    Future<Void> confirmed = onSender(() -> sender.last(part("c", true), true));
    awaitReceived(3);
    assertThat(confirmed.isComplete()).as("confirmed only once the receiver says so").isFalse();
    onReceiver(parts -> parts.confirm());

    confirmed.await(5, TimeUnit.SECONDS);
    assertThat(received).containsExactly("a", "b", "c|last");
    assertThat(openAt(senderSide)).isZero();
    assertThat(openAt(receiverSide)).isZero();
    assertThat(StreamPost.openStreams(vertx)).isZero();
  }

  @Test
  void jsonPartsTravelToTheReceiverTheSenderWasNamed() throws Exception {
    StreamSender sender = open(System.currentTimeMillis() + 10_000, StreamReceiver::more);

    onSender(() -> sender.send(new JsonObject().put("text", "one"))).await(5, TimeUnit.SECONDS);
    onSender(() -> sender.send(new JsonObject().put("text", "two"))).await(5, TimeUnit.SECONDS);
    onSender(() -> sender.last(new JsonObject().put("text", "end"), false)).await(5, TimeUnit.SECONDS);

    awaitReceived(3);
    assertThat(received).containsExactly("one", "two", "end");
  }

  @Test
  void aStopFailsThePartInFlightWithTheStatusItNames() throws Exception {
    StreamSender sender = open(System.currentTimeMillis() + 10_000, parts -> { });
    Future<Void> first = onSender(() -> sender.send(part("a", false)));
    awaitReceived(1);
    onReceiver(parts -> parts.more());
    first.await(5, TimeUnit.SECONDS);
    Future<Void> second = onSender(() -> sender.send(part("b", false)));
    awaitReceived(2);

    onReceiver(parts -> parts.stop(499, "the client went away"));

    assertThat(failureOf(second)).isInstanceOfSatisfying(ReplyException.class, stop -> {
      assertThat(stop.failureCode()).isEqualTo(499);
      assertThat(stop.getMessage()).isEqualTo("the client went away");
    });
    assertThat(on(senderSide, () -> Future.succeededFuture(sender.ready()))).isFalse();
    assertThat(openAt(senderSide)).isZero();
    assertThat(openAt(receiverSide)).isZero();
  }

  @Test
  void aStopWhileTheSenderHoldsACreditTellsItWithoutASend() throws Exception {
    StreamSender sender = open(System.currentTimeMillis() + 10_000, StreamReceiver::more);
    onSender(() -> sender.send(part("a", false))).await(5, TimeUnit.SECONDS);

    onReceiver(parts -> parts.stop(503, "the node is shutting down"));

    assertThat(failureOf(sender.gone())).isInstanceOfSatisfying(ReplyException.class,
      stop -> assertThat(stop.failureCode()).isEqualTo(503));
    assertThat(on(senderSide, () -> Future.succeededFuture(sender.ready()))).isFalse();
    assertThat(openAt(senderSide)).isZero();
  }

  @Test
  void aStopBeforeTheFirstPartFailsThatPart() throws Exception {
    StreamSender sender = open(System.currentTimeMillis() + 10_000, parts -> { });
    onReceiver(parts -> parts.stop(499, "the client went away"));

    Throwable failure = failureOf(senderSide, () -> sender.send(part("a", false)));

    assertThat(failure).isInstanceOfSatisfying(ReplyException.class,
      stop -> assertThat(stop.failureCode()).isEqualTo(499));
    assertThat(received).isEmpty();
  }

  @Test
  void aSenderThatGoesQuietTimesTheReceiverOut() throws Exception {
    // the window is the time left to the deadline plus the bus's grace: about 2.1 s here
    StreamSender sender = open(System.currentTimeMillis() + 100, StreamReceiver::more);
    onSender(() -> sender.send(part("a", false))).await(5, TimeUnit.SECONDS);

    Throwable failure = receiverFailed.future().await(10, TimeUnit.SECONDS);

    assertThat(failure).isInstanceOfSatisfying(ReplyException.class,
      timeout -> assertThat(timeout.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
    assertThat(openAt(receiverSide)).isZero();
  }

  @Test
  void aRefusalReachesTheReceiverAsTheErrorItNames() throws Exception {
    StreamSender sender = open(System.currentTimeMillis() + 10_000, parts -> { });
    on(senderSide, () -> {
      sender.refuse(ApiError.of(ErrorCode.RATE_LIMIT_EXCEEDED, "Too many requests for this key"));
      return Future.succeededFuture();
    });

    Throwable failure = receiverFailed.future().await(5, TimeUnit.SECONDS);

    assertThat(ApiError.from(failure, "router").code()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED.wire());
    assertThat(openAt(receiverSide)).isZero();
    assertThat(openAt(senderSide)).isZero();
  }

  /** Runs {@code step} on the receiver's stream, on its context, and waits for it. */
  private void onReceiver(Consumer<StreamReceiver> step) {
    on(receiverSide, () -> {
      step.accept(receiver);
      return Future.succeededFuture();
    });
  }

  private Future<Void> onSender(Supplier<Future<Void>> send) {
    Promise<Void> done = Promise.promise();
    senderSide.runOnContext(v -> send.get().onComplete(done));
    return done.future();
  }

  private static Throwable failureOf(Future<Void> future) {
    try {
      future.await(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (AssertionError e) {
      throw e;
    } catch (Exception failure) {
      return failure;
    }
  }

  private void awaitReceived(int count) {
    long until = System.currentTimeMillis() + 5_000;
    while (received.size() < count) {
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("only " + received + " arrived");
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
