package io.openfusion.shared.bus;

import io.openfusion.shared.sse.SseFrames;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

class StreamSinkTest {

  private static final String ADDRESS = "test.stream";

  private Vertx vertx;
  private final List<StreamBatch> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(ADDRESS, m -> received.add(StreamBatch.decode(m.body())));
    consumer.completion().await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void framesOfOneTurnTravelAsOneBatchAndTheLastGoesOutAtOnce() {
    vertx.runOnContext(v -> {
      StreamSink sink = new StreamSink(vertx.eventBus(), ADDRESS, "req-1", 0);
      sink.sendData("{\"a\":1}");
      sink.send(SseFrames.comment("progress"));
      sink.sendData("{\"b\":2}");
      vertx.runOnContext(later -> {
        // a later turn: a new batch; the last frame flushes it with the frames still batched
        sink.sendData("{\"c\":3}");
        sink.sendLast(SseFrames.done(), true);
        sink.sendData("{\"ignored\":true}");
      });
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    StreamBatch first = received.get(0);
    assertThat(first.requestId()).isEqualTo("req-1");
    assertThat(first.firstSeq()).isZero();
    assertThat(first.count()).isEqualTo(3);
    assertThat(first.last()).isFalse();
    assertThat(first.frames().toString()).isEqualTo("data: {\"a\":1}\n\n: progress\n\ndata: {\"b\":2}\n\n");
    StreamBatch second = received.get(1);
    assertThat(second.firstSeq()).isEqualTo(3);
    assertThat(second.count()).isEqualTo(2);
    assertThat(second.last()).isTrue();
    assertThat(second.success()).isTrue();
    assertThat(second.frames().toString()).isEqualTo("data: {\"c\":3}\n\ndata: [DONE]\n\n");
  }

  @Test
  void aProducerContinuingAnotherOnesNumbersStartsAtItsFirstSeq() {
    vertx.runOnContext(v -> {
      StreamSink router = new StreamSink(vertx.eventBus(), ADDRESS, "req-2", 0);
      router.sendData("{\"progress\":1}");
      StreamSink judge = new StreamSink(vertx.eventBus(), ADDRESS, "req-2", router.nextSeq());
      judge.sendData("{\"t\":1}");
      judge.sendData("{\"t\":2}");
      router.resumeAt(judge.nextSeq());
      router.sendLast(SseFrames.done(), false);
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
    assertThat(received).extracting(StreamBatch::firstSeq, StreamBatch::count, StreamBatch::last)
      .containsExactlyInAnyOrder(tuple(0, 1, false), tuple(1, 2, false), tuple(3, 1, true));
  }

  @Test
  void withoutAContextEveryFrameIsSentAtOnce() {
    StreamSink sink = new StreamSink(vertx.eventBus(), ADDRESS, "req-3", 5);
    sink.sendData("{}");
    sink.sendData("{}");

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    assertThat(received).extracting(StreamBatch::firstSeq).containsExactlyInAnyOrder(5, 6);
  }

  @Test
  void anythingElseOnTheAddressIsNotABatch() {
    assertThat(StreamBatch.decode(Buffer.buffer("data: {}\n\n"))).isNull();
    assertThat(StreamBatch.decode(Buffer.buffer(new byte[]{1, 0}))).isNull();
    Buffer batch = StreamBatch.seal(StreamBatch.start(StreamBatch.requestIdBytes("ü-id")).appendString("x"), 9, 1, true,
      false);
    StreamBatch decoded = StreamBatch.decode(batch);
    assertThat(decoded.requestId()).isEqualTo("ü-id");
    assertThat(decoded.firstSeq()).isEqualTo(9);
    assertThat(decoded.last()).isTrue();
    assertThat(decoded.success()).isFalse();
    assertThat(decoded.frames().toString()).isEqualTo("x");
  }
}
