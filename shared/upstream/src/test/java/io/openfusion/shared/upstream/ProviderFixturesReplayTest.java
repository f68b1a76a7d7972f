package io.openfusion.shared.upstream;

import io.openfusion.shared.chat.Json;
import io.openfusion.shared.sse.DeltaContent;
import io.openfusion.shared.upstream.fixtures.ProviderFixture;
import io.openfusion.shared.upstream.fixtures.ProviderFixtures;
import io.openfusion.shared.upstream.fixtures.ReplayServer;
import io.openfusion.shared.upstream.fixtures.Splits;
import io.openfusion.shared.upstream.fixtures.Splits.Split;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.openfusion.shared.upstream.Calls.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every provider fixture through the real upstream client, replayed whole and cut at awkward byte boundaries: each
 * cut yields the same chunks, text, usage and finish reason, or the same failure with the provider's own message.
 */
class ProviderFixturesReplayTest {

  private static final String KEY = "sk-fixture-key-0123456789";

  private static Vertx vertx;
  private static ReplayServer server;
  private static UpstreamClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = ReplayServer.start(vertx);
    client = UpstreamClient.create(vertx, UpstreamOptions.defaults());
  }

  @AfterAll
  static void stop() {
    await(client.close());
    server.close();
    await(vertx.close());
  }

  /** What one replayed call gave: the payloads handed over and the outcome. */
  private record Replayed(List<String> payloads, StreamResult result, JsonObject body, UpstreamException failure) {

    String text() {
      StringBuilder text = new StringBuilder();
      for (String payload : payloads) {
        String content = DeltaContent.of(payload);
        if (content != null) {
          text.append(content);
        }
      }
      return text.toString();
    }

    /** The payloads without their {@code created}, which a translated (Anthropic) stream takes from the clock. */
    List<String> comparable() {
      return payloads.stream().map(p -> p.replaceAll("\"created\":\\d+", "\"created\":0")).toList();
    }
  }

  private static Replayed replay(ProviderFixture fixture, byte[] bytes, Split split) {
    server.reset();
    server.answer(null, fixture.streamed(), fixture.contentType(), bytes, split);
    JsonObject body = new JsonObject().put("model", "fixture-model").put("stream", fixture.streamed())
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "q")));
    UpstreamCall call = new UpstreamCall(server.baseUrl(), KEY, body, System.currentTimeMillis() + 20_000, null, "fixture",
      fixture.provider());
    List<String> payloads = Collections.synchronizedList(new ArrayList<>());
    Future<?> done = fixture.streamed() ? client.stream(call, payloads::add) : client.complete(call);
    try {
      Object value = done.await(20, TimeUnit.SECONDS);
      return fixture.streamed() ? new Replayed(List.copyOf(payloads), (StreamResult) value, null, null)
        : new Replayed(List.of(), null, (JsonObject) value, null);
    } catch (UpstreamException e) {
      return new Replayed(List.copyOf(payloads), null, null, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(fixture + " did not finish", e);
    }
  }

  @TestFactory
  Stream<DynamicContainer> everyFixtureSplitEveryWayGivesTheSameOutcome() {
    return ProviderFixtures.all().stream().map(fixture -> {
      byte[] lf = fixture.bytes();
      Replayed baseline = replay(fixture, lf, Splits.WHOLE);
      List<DynamicTest> tests = new ArrayList<>();
      tests.add(DynamicTest.dynamicTest("whole: the documented outcome", () -> checkOutcome(fixture, baseline)));
      for (Split split : Splits.forLf()) {
        tests.add(DynamicTest.dynamicTest("LF, " + split, () -> checkSame(fixture, baseline, replay(fixture, lf, split))));
      }
      if (fixture.streamed()) {
        byte[] crlf = Splits.crlf(lf);
        for (Split split : Splits.forCrlf()) {
          tests.add(DynamicTest.dynamicTest("CRLF, " + split,
            () -> checkSame(fixture, baseline, replay(fixture, crlf, split))));
        }
      }
      return DynamicContainer.dynamicContainer(fixture.path(), tests);
    });
  }

  private static void checkOutcome(ProviderFixture fixture, Replayed r) {
    if (fixture.fails()) {
      assertThat(r.failure()).as("failure").isNotNull();
      assertThat(r.failure().kind().name()).isEqualTo(fixture.failure());
      assertThat(r.failure().getMessage()).isEqualTo(fixture.failureMessage()).doesNotContain(KEY);
      assertThat(r.payloads()).hasSize(fixture.chunks());
      assertThat(r.text()).isEqualTo(fixture.text());
      // the payload that reported the error never reached the caller
      assertThat(r.payloads()).noneMatch(p -> p.contains("\"error\":{") || p.contains("\"object\":\"error\""));
      return;
    }
    assertThat(r.failure()).as("failure").isNull();
    if (fixture.streamed()) {
      assertThat(r.payloads()).hasSize(fixture.chunks());
      assertThat(r.result().chunks()).isEqualTo(fixture.chunks());
      assertThat(r.text()).isEqualTo(fixture.text());
      assertThat(r.result().finishReason()).isEqualTo(fixture.finishReason());
      assertThat(r.result().usage()).isEqualTo(fixture.usage());
      // reasoning is relayed to the caller untouched, but never read as content
      assertThat(String.join("", r.payloads()).contains(ProviderFixture.REASONING_MARK)).isEqualTo(fixture.reasoning());
      if (fixture.provider() == io.openfusion.shared.config.Provider.OPENAI) {
        assertThat(r.payloads()).isEqualTo(dataLines(fixture.bytes()));
      }
    } else {
      JsonObject choice = r.body().getJsonArray("choices").getJsonObject(0);
      assertThat(Json.text(choice.getJsonObject("message").getValue("content"))).isEqualTo(fixture.text());
      assertThat(choice.getString("finish_reason")).isEqualTo(fixture.finishReason());
      assertThat(r.body().getJsonObject("usage")).isEqualTo(fixture.usage());
      assertThat(r.body().encode().contains(ProviderFixture.REASONING_MARK)).isEqualTo(fixture.reasoning());
    }
    assertThat(r.text()).doesNotContain(ProviderFixture.REASONING_MARK);
  }

  private static void checkSame(ProviderFixture fixture, Replayed baseline, Replayed r) {
    checkOutcome(fixture, r);
    assertThat(r.comparable()).isEqualTo(baseline.comparable());
    if (!fixture.streamed() && !fixture.fails()) {
      JsonObject a = r.body().copy().put("created", 0);
      JsonObject b = baseline.body().copy().put("created", 0);
      assertThat(a).isEqualTo(b);
    }
  }

  /** The data payloads of an OpenAI event stream, read plainly (every fixture puts one data line per event). */
  private static List<String> dataLines(byte[] bytes) {
    List<String> data = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        data.add(line.substring("data: ".length()));
      }
    }
    return data;
  }

  @Test
  void theReplayServerDeliversEachPieceAsItsOwnBuffer() throws Exception {
    byte[] bytes = ProviderFixtures.get("openai/stream-usage.sse").bytes();
    List<Buffer> pieces = Splits.INSIDE_UTF8.apply(bytes);
    assertThat(pieces.size()).isGreaterThan(3);
    server.reset();
    server.answer(null, true, new ReplayServer.Replay(200, "text/event-stream", pieces));
    HttpClientAgent http = vertx.createHttpClient();
    List<Integer> receivedEnds = Collections.synchronizedList(new ArrayList<>());
    Buffer all = Buffer.buffer();
    // on the connection's own event loop: from the test thread, the response could start before its handler is set
    io.vertx.core.Promise<Void> read = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(server.baseUrl() + "/chat/completions"))
      .compose(req -> req.send("{\"model\":\"m\",\"stream\":true}"))
      .compose(resp -> {
        resp.handler(b -> {
          all.appendBuffer(b);
          receivedEnds.add(all.length());
        });
        return resp.end();
      })
      .onComplete(read));
    read.future().await(20, TimeUnit.SECONDS);
    http.close().await(20, TimeUnit.SECONDS);
    assertThat(all.getBytes()).isEqualTo(bytes);
    // the reader may get a piece in smaller parts (TCP reads), but never two pieces in one buffer
    List<Integer> pieceEnds = new ArrayList<>();
    int end = 0;
    for (Buffer piece : pieces) {
      end += piece.length();
      pieceEnds.add(end);
    }
    assertThat(receivedEnds).containsAll(pieceEnds);
  }
}
