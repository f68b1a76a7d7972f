package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The fused request end to end over the event bus, against WireMock upstreams: exact frame order and contents. */
class FusionStreamTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m"))
    .namedEvents()
    .build();

  private void panelAnswers() {
    openfusion.upstream().stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris is the capital.", 10, 5)));
    openfusion.upstream().stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
  }

  @Test
  void panelMembersAreNeverAskedForSeveralChoices(WireMockServer upstream, Client client) {
    panelAnswers();
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("Paris."), 100, 7)));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", false).put("n", 1));

    assertThat(response.statusCode()).isEqualTo(200);
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> calls = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
    assertThat(calls).hasSize(3);
    assertThat(calls).allSatisfy(call -> assertThat(new JsonObject(call.getBodyAsString()).containsKey("n")).isFalse());
  }

  @Test
  void streamedFusionHasTheExactFrameOrder(WireMockServer upstream, Client client) {
    panelAnswers();
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "is Paris."), 100, 7)));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital of France?", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
    List<Sse.Frame> frames = Sse.parse(response.bodyAsString());
    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("The capital is Paris.");
    JsonObject firstContent = frames.stream().filter(f -> f.kind().equals("content")).findFirst().orElseThrow().json();
    assertThat(firstContent.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role")).isEqualTo("assistant");
    assertThat(firstContent.getString("model")).isEqualTo("openfusion");
    JsonObject panel = frames.get(0).json();
    assertThat(panel.getJsonArray("models")).containsExactly("m1", "m2");
    assertThat(panel.getString("judge")).isEqualTo("judge-m");
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonObject("panel_total").getInteger("prompt_tokens")).isEqualTo(22);
    assertThat(usage.getJsonObject("judge").getInteger("completion_tokens")).isEqualTo(7);
    assertThat(usage.getJsonObject("total").getInteger("total_tokens")).isEqualTo(22 + 9 + 107);
    // every chunk of one response shares its id
    assertThat(frames.stream().filter(f -> f.event() == null && !f.isDone()).map(f -> f.json().getString("id")).distinct()).hasSize(1);
  }

  @Test
  void judgeIsAskedForUsageAndKeepsTheSystemPromptAndConversation(WireMockServer upstream, Client client) {
    panelAnswers();
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("ok"), 1, 1)));
    JsonObject request = new JsonObject().put("model", "openfusion").put("stream", false).put("messages", new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", "Answer in French."))
      .add(new JsonObject().put("role", "user").put("content", "Earlier question"))
      .add(new JsonObject().put("role", "assistant").put("content", "Earlier answer"))
      .add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "What is in this picture?"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:image/png;base64,AAAA"))))));

    assertThat(client.post("/v1/chat/completions", request).statusCode()).isEqualTo(200);

    var judgeCalls = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("judge-m"))));
    assertThat(judgeCalls).hasSize(1);
    JsonObject judgeBody = new JsonObject(judgeCalls.get(0).getBodyAsString());
    assertThat(judgeBody.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    JsonArray messages = judgeBody.getJsonArray("messages");
    String system = messages.getJsonObject(0).getString("content");
    assertThat(system).contains("consensus", "contradictions", "partial coverage", "unique insights", "blind spots");
    assertThat(system).contains("Answer in French.");
    assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("Earlier question");
    assertThat(messages.getJsonObject(2).getString("content")).isEqualTo("Earlier answer");
    JsonArray lastParts = messages.getJsonObject(3).getJsonArray("content");
    assertThat(lastParts.getJsonObject(1).getString("type")).isEqualTo("image_url");
    assertThat(lastParts.getJsonObject(2).getString("text")).contains("Paris is the capital.", "It is Paris.");
  }

  @Test
  void nonStreamedFusionReturnsOneCompletionWithSummedUsage(WireMockServer upstream, Client client) {
    panelAnswers();
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("Paris", "."), 50, 2)));

    HttpResponse<Buffer> response = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", false));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo("openfusion");
    assertThat(body.getString("id")).matches("chatcmpl-[0-9a-f]{24}");
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Paris.");
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(10 + 12 + 50);
    assertThat(body.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5 + 4 + 2);
  }

  @Test
  void aFailedMemberDegradesTheRunInsteadOfFailingIt(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris.", 10, 5)));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.error(500, "boom")));
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("Paris."), 5, 1)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "progress:synthesis", "content", "finish:stop", "usage", "[DONE]");
    JsonObject failed = frames.stream().filter(f -> f.kind().equals("progress:panel_member") && !f.json().getBoolean("ok"))
      .findFirst().orElseThrow().json();
    assertThat(failed.getString("model")).isEqualTo("m2");
    assertThat(failed.getString("error")).contains("500").contains("boom");
    JsonObject synthesis = frames.stream().filter(f -> f.kind().equals("progress:synthesis")).findFirst().orElseThrow().json();
    assertThat(synthesis.getInteger("panel_count")).isEqualTo(1);
    assertThat(synthesis.getInteger("failed_count")).isEqualTo(1);
  }

  @Test
  void allMembersFailingEndsTheStreamWithPanelErrorThenDone(WireMockServer upstream, Client client) {
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.error(500, "down")));
    upstream.stubFor(Upstreams.call("m2").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    HttpResponse<Buffer> streamed = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", true));
    List<Sse.Frame> frames = Sse.parse(streamed.bodyAsString());
    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "error:panel_error", "[DONE]");
    assertThat(frames.get(3).json().getJsonObject("error").getString("message")).startsWith("All panel members failed: ");

    HttpResponse<Buffer> buffered = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", false));
    assertThat(buffered.statusCode()).isEqualTo(502);
    assertThat(buffered.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("panel_error");
  }

  @Test
  void judgeFailingMidStreamSendsAnErrorChunkThenDone(WireMockServer upstream, Client client) {
    panelAnswers();
    String broken = "data: " + Upstreams.chunk("judge-m", new JsonObject().put("role", "assistant").put("content", "Par"), null).encode()
      + "\n\ndata: {not json\n\n";
    upstream.stubFor(Upstreams.call("judge-m").willReturn(aResponse().withStatus(200)
      .withHeader("Content-Type", "text/event-stream").withBody(broken)));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("progress:panel", "progress:panel_member", "progress:panel_member",
      "progress:synthesis", "content", "error:judge_stream_error", "[DONE]");
  }

  @Test
  void judgeFailingBeforeItsFirstTokenFallsBackToTheBestPanelAnswer(WireMockServer upstream, Client client) {
    panelAnswers();
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.error(503, "judge overloaded")));

    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", true)).bodyAsString());
    assertThat(Sse.shape(frames)).endsWith("progress:synthesis", "progress:judge_fallback", "content", "finish:stop", "usage", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("Paris is the capital.");
    JsonObject usage = frames.stream().filter(f -> "usage".equals(f.event())).findFirst().orElseThrow().json();
    assertThat(usage.getJsonObject("judge_error").getString("message")).contains("judge overloaded");

    HttpResponse<Buffer> buffered = client.post("/v1/chat/completions", Client.chat("openfusion", "Capital?", false));
    assertThat(buffered.statusCode()).isEqualTo(200);
    JsonObject body = buffered.bodyAsJsonObject();
    assertThat(body.getJsonObject("fallback").getString("reason")).isEqualTo("judge_failed");
    assertThat(body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo("Paris is the capital.");
  }

  @Test
  void panelMembersGetTheClientParamsButNotStreamOptions(WireMockServer upstream, Client client) {
    panelAnswers();
    upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("ok"), 1, 1)));
    JsonObject request = Client.chat("openfusion", "Capital?", true).put("temperature", 0.2)
      .put("stream_options", new JsonObject().put("include_usage", true));

    client.post("/v1/chat/completions", request);

    var memberCalls = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("m1"))));
    JsonObject body = new JsonObject(memberCalls.get(0).getBodyAsString());
    assertThat(body.getBoolean("stream")).isFalse();
    assertThat(body.containsKey("stream_options")).isFalse();
    assertThat(body.getDouble("temperature")).isEqualTo(0.2);
    assertThat(memberCalls.get(0).getHeader("Authorization")).isEqualTo("Bearer " + Upstreams.KEY);
  }
}
