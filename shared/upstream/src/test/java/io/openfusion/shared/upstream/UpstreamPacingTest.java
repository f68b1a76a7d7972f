package io.openfusion.shared.upstream;

import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.openfusion.shared.upstream.Calls.await;
import static io.openfusion.shared.upstream.Calls.chunk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streaming call goes at its caller's {@link Pace}: while the caller is full the HTTP response stays paused, so the
 * provider's writes stop draining (its socket backs up) instead of this node buffering them, and the idle clock stops
 * with it; the call's deadline keeps running. A fake provider on 127.0.0.1 writes until its socket is full and says
 * when that happened.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class UpstreamPacingTest {

  /** A short idle clock, so a paused stream would trip it many times over if pausing did not stop it. */
  private static final long IDLE_MS = 400;
  private static final UpstreamOptions SHORT_IDLE = UpstreamOptions.defaults()
      .withFirstTokenTimeoutMs(5_000).withIdleTimeoutMs(IDLE_MS);
  /** Each chunk's text: big enough that the provider's socket fills after a few hundred chunks. */
  private static final String PIECE = "x".repeat(2_000);
  /** The provider gives up writing past this, so a client that never pushes back still ends the test. */
  private static final int MAX_CHUNKS = 20_000;

  private Vertx vertx;
  private UpstreamClient client;
  private HttpServer server;
  /** Chunks the provider has written. */
  private volatile int written;
  /** Set by the test once the caller takes more: the provider then ends the stream at its next drain. */
  private volatile boolean released;
  private volatile HttpServerResponse response;

  @BeforeAll
  static void warmUp() {
    Calls.warmUp();
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = UpstreamClient.create(vertx, SHORT_IDLE);
    // a small send buffer, so the provider's own kernel buffer does not hide the back-pressure for megabytes
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSendBufferSize(16 * 1024))
        .requestHandler(req -> req.body().onSuccess(b -> pump(req.response()
            .setChunked(true).putHeader("Content-Type", "text/event-stream"))));
    await(server.listen());
  }

  @AfterEach
  void tearDown() {
    await(client.close());
    await(server.close());
  }

  /** Writes chunks while the socket takes them, and again at every drain; ends the stream once released. */
  private void pump(HttpServerResponse response) {
    this.response = response;
    if (released) {
      response.end("data: " + chunk(null, "stop") + "\n\ndata: [DONE]\n\n");
      return;
    }
    while (!response.writeQueueFull() && written < MAX_CHUNKS) {
      response.write("data: " + chunk(PIECE, null) + "\n\n");
      written++;
    }
    response.drainHandler(drained -> pump(response));
  }

  private UpstreamCall call(long budgetMs) {
    return new UpstreamCall("http://127.0.0.1:" + server.actualPort() + "/v1", Calls.KEY, Calls.body(true),
        System.currentTimeMillis() + budgetMs, null, "paced");
  }

  @Test
  void aCallerThatStaysFullKeepsTheProviderBlockedWithoutTrippingTheIdleClockThenTheStreamCompletes(
      VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    HeldPace pace = new HeldPace();
    List<String> received = new ArrayList<>();
    Promise<StreamResult> result = Promise.promise();
    context.runOnContext(v -> client.stream(call(15_000), data -> {
      received.add(data);
      if (received.size() == 1) {
        pace.full = true; // the first chunk is all this caller takes until it is released
      }
    }, pace).onComplete(result));

    waitUntil(() -> pace.full, () -> vertx.setTimer(IDLE_MS * 3, t -> context.runOnContext(held -> {
      // many idle timeouts have passed while the caller held the stream: none of them fired
      int receivedWhileHeld = received.size();
      int writtenWhileHeld = written;
      test.verify(() -> {
        assertThat(result.future().isComplete()).as("the call is still open while its caller is full").isFalse();
        assertThat(response.writeQueueFull()).as("the provider's socket is full").isTrue();
        assertThat(writtenWhileHeld).as("the provider is held back long before its last chunk").isLessThan(MAX_CHUNKS);
      });
      vertx.setTimer(IDLE_MS * 2, t2 -> context.runOnContext(x -> {
        test.verify(() -> {
          assertThat(written).as("the provider's writes stopped draining").isEqualTo(writtenWhileHeld);
          assertThat(received.size()).as("nothing more reaches a full caller").isEqualTo(receivedWhileHeld);
          assertThat(result.future().isComplete()).as("still no idle timeout").isFalse();
        });
        released = true;
        pace.release();
        result.future().onComplete(test.succeeding(done -> test.verify(() -> {
          assertThat(done.finishReason()).isEqualTo("stop");
          // every chunk the provider wrote reached the caller once it was ready again, and the last one
          assertThat(received.size()).isEqualTo(written + 1);
          assertThat(done.chunks()).isEqualTo(written + 1);
          assertThat(received.get(0).contains(PIECE)).isTrue();
          test.completeNow();
        })));
      }));
    })));
  }

  @Test
  void theDeadlineStillRunsWhileTheCallerIsFull(VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    HeldPace pace = new HeldPace();
    pace.full = true; // never released
    context.runOnContext(v -> client.stream(call(1_500), data -> { }, pace)
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertThat(failure).isInstanceOf(UpstreamException.class);
          assertThat(((UpstreamException) failure).kind()).isEqualTo(Kind.TIMEOUT);
          assertThat(failure.getMessage()).contains("no response within");
          assertThat(written).as("the provider was held back meanwhile").isPositive().isLessThan(MAX_CHUNKS);
          test.completeNow();
        }))));
  }

  /** Polls on the event loop until {@code condition}, then runs {@code then}; the test's timeout bounds the wait. */
  private void waitUntil(java.util.function.BooleanSupplier condition, Runnable then) {
    vertx.setPeriodic(20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        then.run();
      }
    });
  }

  /** A caller that is full when told to be, and goes on when released; used from the call's context only. */
  private static final class HeldPace implements Pace {
    volatile boolean full;
    private Runnable waiting;

    @Override
    public boolean full() {
      return full;
    }

    @Override
    public void whenReady(Runnable ready) {
      if (!full) {
        ready.run();
      } else {
        waiting = ready;
      }
    }

    void release() {
      full = false;
      Runnable ready = waiting;
      waiting = null;
      if (ready != null) {
        ready.run();
      }
    }
  }
}
