package io.openfusion.app.it;

import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.sse.DeltaContent;
import io.openfusion.shared.telemetry.Exposition;
import io.openfusion.shared.upstream.fixtures.ProviderFixture;
import io.openfusion.shared.upstream.fixtures.ProviderFixtures;
import io.openfusion.shared.upstream.fixtures.ReplayServer;
import io.openfusion.shared.upstream.fixtures.Splits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every provider fixture through a whole in-JVM node, replayed cut at seeded random byte boundaries: as a panel member
 * (its JSON body), as the judge (its stream), and as a pass-through (stream and body). The client gets the provider's
 * text with no reasoning in a fused answer, or the failure handling of docs/FAULTS.md: a degraded member, the judge
 * falling back to the panel, an error chunk then {@code [DONE]}, a non-200 answer; never a silent or cut success.
 */
class ProviderFixturesEndToEndTest {

  private static final String KEY = "sk-fixture-upstream-key";
  private static final String PLAIN_ANSWER = "Plain member answer: Paris.";
  private static final String SUBJECT_ANSWER = "Subject member answer: Lyon.";

  @RegisterExtension
  static final NodeExtension<ReplayServer> openfusion = NodeExtension.upstream(ReplayServer::start, ReplayServer::close)
    // everything spoken in the OpenAI protocol
    .node("openai", replay -> recipe(replay, Provider.OPENAI, "o-", true))
    // member "subject", the judge and pass-through speak Anthropic's protocol
    .node("anthropic", replay -> recipe(replay, Provider.ANTHROPIC, "a-", true))
    // OpenAI protocol, judge.fallback_to_panel off
    .node("no fallback", replay -> recipe(replay, Provider.OPENAI, "n-", false))
    // OpenAI protocol, a pipeline of one solo step, p-writer
    .node("pipeline", replay -> recipe(replay, Provider.OPENAI, "p-", true).toBuilder().strategy(Strategy.PIPELINE)
      .pipeline(new PipelineConfig(List.of(new PipelineStep("write", PipelineStep.SOLO, "p-writer", null)))).build())
    .namedEvents()
    .build();

  private static ReplayServer replay() {
    return openfusion.upstream();
  }

  private static Client openAi() {
    return openfusion.client("openai");
  }

  private static Client noFallback() {
    return openfusion.client("no fallback");
  }

  private static Client pipeline() {
    return openfusion.client("pipeline");
  }

  /** Members {@code <prefix>plain} (OpenAI) and {@code <prefix>subject}, judge {@code <prefix>judge}, pass-through. */
  private static OpenFusionConfig recipe(ReplayServer replay, Provider provider, String prefix, boolean fallback) {
    String url = replay.baseUrl();
    return OpenFusionConfig.builder()
      .strategy(Strategy.PANEL)
      .panel(List.of(new UpstreamConfig(url, KEY, prefix + "plain", null, Provider.OPENAI),
        new UpstreamConfig(url, KEY, prefix + "subject", null, provider)))
      .judge(new JudgeConfig(new UpstreamConfig(url, KEY, prefix + "judge", null, provider), 120_000, fallback))
      .passThrough(new UpstreamConfig(url, KEY, prefix + "pass", null, provider))
      .build();
  }

  private static String prefix(ProviderFixture f) {
    return f.provider() == Provider.ANTHROPIC ? "a-" : "o-";
  }

  private static Client client(ProviderFixture f) {
    return f.provider() == Provider.ANTHROPIC ? openfusion.client("anthropic") : openAi();
  }

  private static Splits.Split split(ProviderFixture f) {
    return Splits.random(f.path().hashCode());
  }

  /** A whole non-streamed answer in {@code provider}'s shape. */
  private static byte[] body(Provider provider, String model, String text) {
    JsonObject body = provider == Provider.ANTHROPIC
      ? new JsonObject().put("id", "msg_plain").put("type", "message").put("role", "assistant").put("model", model)
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)))
        .put("stop_reason", "end_turn").put("usage", new JsonObject().put("input_tokens", 9).put("output_tokens", 5))
      : new JsonObject().put("id", "cmpl-plain").put("object", "chat.completion").put("created", 1).put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
          .put("message", new JsonObject().put("role", "assistant").put("content", text)).put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", 9).put("completion_tokens", 5).put("total_tokens", 14));
    return body.toBuffer().getBytes();
  }

  /** Both members answer plainly (the ranker gets no answer, so a fallback picks the first member in panel order). */
  private static void plainPanel(String prefix, Provider provider) {
    replay().answer(prefix + "plain", false, "application/json", body(Provider.OPENAI, prefix + "plain", PLAIN_ANSWER),
      Splits.WHOLE);
    replay().answer(prefix + "subject", false, "application/json", body(provider, prefix + "subject", SUBJECT_ANSWER),
      Splits.WHOLE);
  }

  private static String prompt(ProviderFixture f, String role) {
    return "Question for " + role + " " + f.path() + " " + System.nanoTime();
  }

  private static List<Sse.Frame> frames(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return Sse.parse(response.bodyAsString());
  }

  /** The text of the plain content chunks (string or content parts). */
  private static String content(List<Sse.Frame> frames) {
    StringBuilder text = new StringBuilder();
    for (Sse.Frame frame : frames) {
      if (frame.event() == null && !frame.isDone()) {
        String delta = DeltaContent.of(frame.data());
        text.append(delta == null ? "" : delta);
      }
    }
    return text.toString();
  }

  private static JsonObject errorOf(List<Sse.Frame> frames) {
    return frames.stream().filter(f -> f.event() == null && !f.isDone() && f.json().containsKey("error"))
      .findFirst().orElseThrow().json().getJsonObject("error");
  }

  /** The text of a chat request's system prompt and messages, in either protocol. */
  private static String promptText(JsonObject request) {
    StringBuilder text = new StringBuilder(Json.text(request.getValue("system")));
    for (Object m : request.getJsonArray("messages")) {
      text.append('\n').append(Json.text(((JsonObject) m).getValue("content")));
    }
    return text.toString();
  }

  private static String messageText(JsonObject completion) {
    return completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }

  // ------------------------------------------------------------------------------------------ as a panel member

  @TestFactory
  Stream<DynamicTest> asAPanelMember() {
    return ProviderFixtures.bodies().stream().map(f -> DynamicTest.dynamicTest(f.path(), () -> {
      replay().reset();
      String p = prefix(f);
      ProviderFixture judge = ProviderFixtures.get(f.provider() == Provider.ANTHROPIC
        ? "anthropic/stream-server-tool.sse" : "openai/stream-usage.sse");
      replay().answer(p + "plain", false, "application/json", body(Provider.OPENAI, p + "plain", PLAIN_ANSWER), Splits.WHOLE);
      replay().answer(p + "subject", false, f, split(f));
      replay().answer(p + "judge", true, judge, split(judge));

      List<Sse.Frame> frames = frames(client(f).post("/v1/chat/completions", Client.chat("openfusion", prompt(f, "member"), true)));

      assertThat(Sse.shape(frames)).endsWith("progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
      assertThat(content(frames)).isEqualTo(judge.text());
      JsonObject subject = frames.stream()
        .filter(fr -> fr.kind().equals("progress:panel_member") && (p + "subject").equals(fr.json().getString("model")))
        .findFirst().orElseThrow().json();
      JsonObject judgeRequest = replay().requestsFor(p + "judge").get(0);
      String judgePrompt = promptText(judgeRequest);
      assertThat(judgePrompt).contains(PLAIN_ANSWER);
      assertThat(judgeRequest.encode()).doesNotContain(ProviderFixture.REASONING_MARK);
      if (f.fails()) {
        // an error in a 200 answer degrades the member, with the provider's message; none of its text is fused
        assertThat(subject.getBoolean("ok")).isFalse();
        assertThat(subject.getString("error")).contains(f.failureMessage());
        assertThat(judgePrompt).doesNotContain("Zugspitze");
      } else {
        assertThat(subject.getBoolean("ok")).isTrue();
        assertThat(judgePrompt).contains(f.text());
      }
    }));
  }

  // ------------------------------------------------------------------------------------------------- as the judge

  @TestFactory
  Stream<DynamicTest> asTheJudge() {
    return ProviderFixtures.streams().stream().flatMap(f -> Stream.of(
      DynamicTest.dynamicTest(f.path() + ", streamed client", () -> judgeStreamed(f)),
      DynamicTest.dynamicTest(f.path() + ", non-streamed client", () -> judgeBuffered(f))));
  }

  private static void judgeStreamed(ProviderFixture f) {
    replay().reset();
    String p = prefix(f);
    plainPanel(p, f.provider());
    replay().answer(p + "judge", true, f, split(f));

    List<Sse.Frame> frames = frames(client(f).post("/v1/chat/completions", Client.chat("openfusion", prompt(f, "judge"), true)));

    List<String> shape = Sse.shape(frames);
    String text = content(frames);
    assertThat(text).doesNotContain(ProviderFixture.REASONING_MARK);
    if (!f.fails()) {
      assertThat(shape).endsWith("progress:synthesis", "content", "finish:" + f.finishReason(), "usage", "[DONE]");
      assertThat(text).isEqualTo(f.text());
    } else if (f.failsBeforeContent()) {
      // nothing reached the client: the best panel answer instead (the ranker failed too: the first member)
      assertThat(shape).endsWith("progress:synthesis", "progress:judge_fallback", "content", "finish:stop", "usage", "[DONE]");
      assertThat(text).isEqualTo(PLAIN_ANSWER);
      JsonObject fallback = frames.stream().filter(fr -> fr.kind().equals("progress:judge_fallback")).findFirst()
        .orElseThrow().json();
      assertThat(fallback.getString("error")).contains(f.failureMessage());
    } else {
      // the answer had started: it ends with an error chunk, then [DONE], never as if whole
      assertThat(shape).endsWith("progress:synthesis", "content", "error:judge_stream_error", "[DONE]");
      assertThat(text).isEqualTo(f.text());
      assertThat(errorOf(frames).getString("message")).contains(f.failureMessage());
    }
  }

  private static void judgeBuffered(ProviderFixture f) {
    replay().reset();
    String p = prefix(f);
    plainPanel(p, f.provider());
    replay().answer(p + "judge", true, f, split(f));

    HttpResponse<Buffer> response = client(f).post("/v1/chat/completions", Client.chat("openfusion", prompt(f, "judge"), false));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    if (!f.fails()) {
      assertThat(messageText(body)).isEqualTo(f.text());
      assertThat(body.containsKey("fallback")).isFalse();
    } else {
      // a non-streamed client never gets the judge's cut answer: the panel's best instead, and why
      assertThat(messageText(body)).isEqualTo(PLAIN_ANSWER);
      assertThat(body.getJsonObject("fallback").getString("reason")).isEqualTo("judge_failed");
      assertThat(body.getJsonObject("fallback").getJsonObject("error").getString("message")).contains(f.failureMessage());
    }
  }

  @TestFactory
  Stream<DynamicTest> asTheJudgeWithoutPanelFallback() {
    return ProviderFixtures.streams().stream().filter(f -> f.fails() && f.provider() == Provider.OPENAI)
      .map(f -> DynamicTest.dynamicTest(f.path(), () -> {
        replay().reset();
        plainPanel("n-", Provider.OPENAI);
        replay().answer("n-judge", true, f, split(f));

        HttpResponse<Buffer> buffered = noFallback().post("/v1/chat/completions", Client.chat("openfusion", prompt(f, "judge"), false));
        assertThat(buffered.statusCode()).isEqualTo(502);
        JsonObject error = buffered.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("judge_stream_error");
        assertThat(error.getString("message")).contains(f.failureMessage());

        List<Sse.Frame> frames = frames(noFallback().post("/v1/chat/completions", Client.chat("openfusion", prompt(f, "judge"), true)));
        assertThat(Sse.shape(frames)).endsWith("error:judge_stream_error", "[DONE]");
        assertThat(content(frames)).isEqualTo(f.text());
        assertThat(errorOf(frames).getString("message")).contains(f.failureMessage());
      }));
  }

  // ------------------------------------------------------------------------------------- as a pipeline's last step

  @TestFactory
  Stream<DynamicTest> asAPipelinesStreamedLastStep() {
    return ProviderFixtures.streams().stream().filter(f -> f.provider() == Provider.OPENAI)
      .map(f -> DynamicTest.dynamicTest(f.path(), () -> {
        replay().reset();
        replay().answer("p-writer", true, f, split(f));

        List<Sse.Frame> frames = frames(pipeline().post("/v1/chat/completions", Client.chat("openfusion", prompt(f, "pipeline"), true)));

        assertThat(content(frames)).isEqualTo(f.text()).doesNotContain(ProviderFixture.REASONING_MARK);
        if (f.fails()) {
          assertThat(Sse.shape(frames)).endsWith("error:upstream_error", "[DONE]");
          assertThat(errorOf(frames).getString("message")).contains(f.failureMessage());
        } else {
          assertThat(Sse.shape(frames)).endsWith("content", "finish:stop", "usage", "[DONE]");
        }
      }));
  }

  @TestFactory
  Stream<DynamicTest> asAPipelinesNonStreamedLastStep() {
    return ProviderFixtures.bodies().stream().filter(f -> f.provider() == Provider.OPENAI)
      .map(f -> DynamicTest.dynamicTest(f.path(), () -> {
        replay().reset();
        replay().answer("p-writer", false, f, split(f));

        HttpResponse<Buffer> response = pipeline().post("/v1/chat/completions", Client.chat("openfusion", prompt(f, "pipeline"), false));

        if (f.fails()) {
          assertThat(response.statusCode()).isEqualTo(502);
          assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).contains(f.failureMessage());
        } else {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(messageText(response.bodyAsJsonObject())).isEqualTo(f.text());
        }
      }));
  }

  // ------------------------------------------------------------------------------------------- as a pass-through

  @TestFactory
  Stream<DynamicTest> asAPassThroughStream() {
    return ProviderFixtures.streams().stream().map(f -> DynamicTest.dynamicTest(f.path(), () -> {
      replay().reset();
      String model = prefix(f) + "pass";
      replay().answer(model, true, f, split(f));

      HttpResponse<Buffer> response = client(f).post("/v1/chat/completions", Client.chat(model, prompt(f, "pass-through"), true));

      if (f.fails() && f.chunks() == 0) {
        // failed before the first chunk: an HTTP error with the provider's message
        assertThat(response.statusCode()).isEqualTo(f.provider() == Provider.ANTHROPIC ? 529 : 502);
        JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("upstream_error");
        assertThat(error.getString("message")).isEqualTo(f.failureMessage());
        return;
      }
      List<Sse.Frame> frames = frames(response);
      List<Sse.Frame> relayed = frames.subList(0, f.chunks());
      assertThat(content(relayed)).isEqualTo(f.text());
      if (f.provider() == Provider.OPENAI) {
        // the provider's own chunks, untouched (reasoning included)
        assertThat(relayed).extracting(Sse.Frame::data).containsExactlyElementsOf(dataLines(f.bytes(), f.chunks()));
      }
      assertThat(String.join("", relayed.stream().map(Sse.Frame::data).toList()).contains(ProviderFixture.REASONING_MARK))
        .isEqualTo(f.reasoning());
      if (f.fails()) {
        assertThat(frames).hasSize(f.chunks() + 2);
        assertThat(Sse.shape(frames.subList(f.chunks(), frames.size()))).containsExactly("error:upstream_error", "[DONE]");
        assertThat(errorOf(frames).getString("message")).isEqualTo(f.failureMessage());
      } else {
        assertThat(frames).hasSize(f.chunks() + 1);
        assertThat(frames.get(frames.size() - 1).isDone()).isTrue();
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> asAPassThroughBody() {
    return ProviderFixtures.bodies().stream().map(f -> DynamicTest.dynamicTest(f.path(), () -> {
      replay().reset();
      String model = prefix(f) + "pass";
      replay().answer(model, false, f, split(f));

      HttpResponse<Buffer> response = client(f).post("/v1/chat/completions", Client.chat(model, prompt(f, "pass-through"), false));

      if (f.fails()) {
        assertThat(response.statusCode()).isEqualTo(502);
        JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("upstream_error");
        assertThat(error.getString("message")).isEqualTo(f.failureMessage());
        return;
      }
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject body = response.bodyAsJsonObject();
      if (f.provider() == Provider.OPENAI) {
        assertThat(body).isEqualTo(f.json());
      } else {
        assertThat(messageText(body)).isEqualTo(f.text());
        assertThat(body.getJsonObject("usage")).isEqualTo(f.usage());
      }
    }));
  }

  // ------------------------------------------------------------------------------------------------- telemetry

  @Test
  void anErrorInsideA200CountsAsAnErrorCallAndAnErrorRequest() {
    ProviderFixture f = ProviderFixtures.get("openrouter/stream-error.sse");
    replay().reset();
    replay().answer("o-pass", true, f, split(f));
    double calls = errors("openfusion_upstream_requests_total", "phase=\"pass_through\"");
    double requests = errors("openfusion_requests_total", "route=\"pass_through\"");

    List<Sse.Frame> frames = frames(openAi().post("/v1/chat/completions", Client.chat("o-pass", prompt(f, "metrics"), true)));

    assertThat(Sse.shape(frames)).endsWith("error:upstream_error", "[DONE]");
    // the router records a request when its run ends, which may be just after the client saw the stream's end
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(errors("openfusion_upstream_requests_total", "phase=\"pass_through\"")).isEqualTo(calls + 1);
      assertThat(errors("openfusion_requests_total", "route=\"pass_through\"")).isEqualTo(requests + 1);
    });
  }

  /** The sum of {@code series} samples counting errors with {@code label} (0 before the first). */
  private static double errors(String series, String label) {
    HttpResponse<Buffer> response = openAi().get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return Exposition.values(response.bodyAsString(), series, "outcome=\"error\"," + label).stream()
      .mapToDouble(Double::doubleValue).sum();
  }

  /** The first {@code n} data payloads of an OpenAI event stream. */
  private static List<String> dataLines(byte[] bytes, int n) {
    List<String> data = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]") && data.size() < n) {
        data.add(line.substring("data: ".length()));
      }
    }
    return data;
  }
}
