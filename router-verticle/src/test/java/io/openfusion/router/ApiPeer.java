package io.openfusion.router;

import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.bus.StreamReceiver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fake api instance for router specs: sends one request and plays the api's side of the stream protocol with the
 * api's own {@link StreamReceiver}. Each {@link StreamBatch} part is recorded; the peer answers it at once
 * ({@link #answering}) or holds it until the spec says ({@link #answer}, {@link #failHeld}), which is how a client
 * whose socket is full looks to the router. A non-streamed request's one reply and a refused request's failure are recorded too. Everything runs on the
 * peer's own context; the spec's thread waits on futures.
 */
public final class ApiPeer {

  private final Context context;
  private boolean answering;
  private final List<StreamBatch> parts = new ArrayList<>();
  private final List<Promise<StreamBatch>> waiters = new ArrayList<>();
  private final Promise<JsonObject> reply = Promise.promise();
  private final Promise<Void> lastConfirmed = Promise.promise();
  private StreamReceiver receiver;
  /** A part that is recorded but not answered yet. */
  private StreamBatch held;

  private ApiPeer(Vertx vertx, boolean answering) {
    this.context = vertx.getOrCreateContext();
    this.answering = answering;
  }

  /** A peer that answers every part as soon as it arrives (a client that reads fast). */
  public static ApiPeer answering(Vertx vertx, String address, Object request, DeliveryOptions options) {
    return new ApiPeer(vertx, true).send(vertx, address, request, options);
  }

  /** A peer that holds every part until the spec answers it (a client whose socket is full). */
  public static ApiPeer holding(Vertx vertx, String address, Object request, DeliveryOptions options) {
    return new ApiPeer(vertx, false).send(vertx, address, request, options);
  }

  private ApiPeer send(Vertx vertx, String address, Object request, DeliveryOptions options) {
    context.runOnContext(v -> {
      StreamPost post = StreamPost.of(context);
      receiver = new StreamReceiver(post, System.currentTimeMillis() + 30_000);
      Future<Message<Object>> first = post.ready()
        .compose(posted -> vertx.eventBus().request(address, request, receiver.options(options)));
      receiver.follow(first, new StreamReceiver.Parts() {
        @Override
        public void part(Object body) {
          take(body);
        }

        @Override
        public void failed(Throwable failure) {
          reply.tryFail(failure);
        }
      });
    });
    return this;
  }

  private void take(Object body) {
    StreamBatch part = StreamBatch.decode(body);
    if (part == null) {
      receiver.end();
      reply.tryComplete((JsonObject) body);
      return;
    }
    // the frames are a slice of the message: keep a copy
    part = new StreamBatch(part.last(), part.success(), part.frames().copy());
    parts.add(part);
    int index = parts.size() - 1;
    if (index < waiters.size()) {
      waiters.get(index).tryComplete(part);
    }
    held = part;
    if (answering) {
      answer();
    }
  }

  /** Answers the part being held: the router's credit for the next one, or the confirmation of the last. */
  public void answer() {
    context.runOnContext(v -> {
      StreamBatch part = held;
      held = null;
      if (part == null) {
        throw new IllegalStateException("no part is held");
      }
      if (part.last()) {
        receiver.confirm();
        lastConfirmed.tryComplete();
        return;
      }
      receiver.more();
    });
  }

  /** From now on answers every part as it arrives, starting with the one being held (the client reads again). */
  public void answerAll() {
    context.runOnContext(v -> {
      answering = true;
      if (held != null) {
        answer();
      }
    });
  }

  /** Fails the part being held, as an api whose client went away does. */
  public void failHeld(int code, String message) {
    context.runOnContext(v -> {
      held = null;
      receiver.stop(code, message);
    });
  }

  /** The {@code index}th part (0-based), once it arrived. */
  public Future<StreamBatch> part(int index) {
    Promise<StreamBatch> waiter = Promise.promise();
    context.runOnContext(v -> {
      while (waiters.size() <= index) {
        waiters.add(Promise.promise());
      }
      waiters.get(index).future().onComplete(waiter);
      if (index < parts.size()) {
        waiters.get(index).tryComplete(parts.get(index));
      }
    });
    return waiter.future();
  }

  /** How many parts arrived so far, read on the peer's context after everything already queued there. */
  public Future<Integer> count() {
    Promise<Integer> count = Promise.promise();
    context.runOnContext(v -> count.complete(parts.size()));
    return count.future();
  }

  /** Every part until the last one, once it arrived. */
  public Future<List<StreamBatch>> untilLast() {
    return nextUntilLast(0);
  }

  private Future<List<StreamBatch>> nextUntilLast(int index) {
    return part(index).compose(part -> part.last() ? snapshot() : nextUntilLast(index + 1));
  }

  private Future<List<StreamBatch>> snapshot() {
    Promise<List<StreamBatch>> copy = Promise.promise();
    context.runOnContext(v -> copy.complete(List.copyOf(parts)));
    return copy.future();
  }

  /** Completes once this peer confirmed the last part (the client has the last byte). */
  public Future<Void> lastConfirmed() {
    return lastConfirmed.future();
  }

  /** A non-streamed request's reply; fails when the request was refused (its {@link ReplyException}). */
  public Future<JsonObject> reply() {
    return reply.future();
  }

  /** The whole stream as the client would read it. */
  public static String text(List<StreamBatch> parts) {
    Buffer all = Buffer.buffer();
    parts.forEach(part -> all.appendBuffer(part.frames()));
    return all.toString();
  }

  /** The stream's SSE frames (each without its blank-line terminator). */
  public static List<String> frames(List<StreamBatch> parts) {
    return Arrays.stream(text(parts).split("\n\n")).filter(frame -> !frame.isEmpty()).toList();
  }

  /** Blocks the spec's thread (never an event loop) until {@code future} completes. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 10 s", e);
    }
  }

  /** The failure {@code future} ends with, waiting for it. */
  public static Throwable failureOf(Future<?> future) {
    try {
      Object value = future.await(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 10 s", e);
    } catch (Throwable failure) {
      if (failure instanceof AssertionError assertion) {
        throw assertion;
      }
      return failure;
    }
  }
}
