package io.openfusion.bench.slow;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class LongStreamUpstreamTest {

  private Vertx vertx;
  private LongStreamUpstream fake;
  private HttpClientAgent client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // 2,000 chunks of 4 KiB: 8.5 MB, more than the kernel's socket buffers on loopback take (4 MiB at most each way)
    fake = LongStreamUpstream.start(vertx, 2000, 4096).await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient(new HttpClientOptions().setReceiveBufferSize(16 * 1024));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Asks for an answer and hands the response to {@code then} in the event-loop callback that gets it, so a body or a
   * pause is in place before any chunk arrives (attached later, from the test's thread, it could miss what came
   * meanwhile).
   */
  private <T> Future<T> ask(String id, boolean stream, Function<HttpClientResponse, Future<T>> then) {
    String body = "{\"model\":\"fake/pt\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"go ["
      + LongStreamUpstream.MARKER + id + "]\"}]}";
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setPort(fake.port()).setHost("127.0.0.1")
        .setURI("/v1/chat/completions"))
      .compose(req -> req.send(Buffer.buffer(body)).compose(then));
  }

  @Test
  void aReaderThatTakesEverythingGetsTheWholeAnswerEndingWithDone() throws Exception {
    Buffer all = ask("fast-1", true, HttpClientResponse::body).await(30, TimeUnit.SECONDS);
    assertThat((long) all.length()).isEqualTo(fake.longAnswerBytes("fake/pt"));
    assertThat(all.toString(StandardCharsets.UTF_8)).endsWith("data: [DONE]\n\n").contains("\"usage\"");
    LongStreamUpstream.Track t = fake.track("fast-1");
    assertThat(t.written()).isEqualTo(t.totalBytes());
    assertThat(t.endedAtMs()).isPositive();
    assertThat(t.open()).isFalse();
  }

  @Test
  void aReaderThatStopsReadingLeavesTheStreamOpenAndWaitingForTheDrain() throws Exception {
    HttpClientResponse resp = ask("paused-1", true, r -> Future.succeededFuture(r.pause())).await(10, TimeUnit.SECONDS);
    LongStreamUpstream.Track t = null;
    long until = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < until && (t == null || !t.waiting())) {
      Thread.sleep(50);
      t = fake.track("paused-1");
    }
    assertThat(t).isNotNull();
    assertThat(t.waiting()).isTrue();
    assertThat(t.open()).isTrue();
    assertThat(t.written()).isLessThan(t.totalBytes());
    assertThat(t.drainWaits()).isPositive();
    // once the reader goes on, the stream finishes
    resp.resume();
    resp.end().await(30, TimeUnit.SECONDS);
    assertThat(t.written()).isEqualTo(t.totalBytes());
    assertThat(t.waitedMs(System.currentTimeMillis())).isPositive();
  }

  @Test
  void untrackedAndNonStreamedRequestsGetShortAnswers() throws Exception {
    String json = ask("member-1", false, HttpClientResponse::body).await(10, TimeUnit.SECONDS)
      .toString(StandardCharsets.UTF_8);
    assertThat(json).contains("\"chat.completion\"").contains("\"usage\"");
    assertThat(fake.track("member-1")).isNull();
    assertThat(fake.tracks("member")).isEmpty();
  }
}
