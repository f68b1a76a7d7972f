package io.openfusion.shared.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StreamBatchCodecTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static Buffer batch(String frames, boolean last) {
    return StreamBatch.seal(StreamBatch.start().appendString(frames), last, last);
  }

  @Test
  void aBatchCrossesTheWireByteForByteAtAnyOffset() {
    Buffer sent = batch("data: {\"x\":\"é\"}\n\n", true);
    Buffer wire = Buffer.buffer("header");
    StreamBatchCodec codec = new StreamBatchCodec();
    codec.encodeToWire(wire, sent);
    Buffer received = codec.decodeFromWire("header".length(), wire);
    assertThat(received.getBytes()).isEqualTo(sent.getBytes());
    StreamBatch decoded = StreamBatch.decode(received);
    assertThat(decoded.last()).isTrue();
    assertThat(decoded.success()).isTrue();
    assertThat(decoded.frames().toString(StandardCharsets.UTF_8)).isEqualTo("data: {\"x\":\"é\"}\n\n");
  }

  @Test
  void aLocalPartIsHandedOverNotCopiedAndRegisteringTwiceIsHarmless() {
    StreamBatchCodec.register(vertx.eventBus());
    StreamBatchCodec.register(vertx.eventBus());
    Buffer sent = batch("data: a\n\n", false);
    Buffer[] got = new Buffer[1];
    vertx.eventBus().<Buffer>consumer("codec-test", message -> {
      got[0] = message.body();
      message.reply(null);
    }).completion().await();
    vertx.eventBus().request("codec-test", sent, StreamBatchCodec.options(System.currentTimeMillis() + 5_000)).await();
    assertThat(got[0]).isSameAs(sent);
  }
}
