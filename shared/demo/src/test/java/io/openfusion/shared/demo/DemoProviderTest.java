package io.openfusion.shared.demo;

import io.openfusion.shared.demo.impl.DemoTokens;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(VertxExtension.class)
class DemoProviderTest {

  private static final String PROMPT = "How should I pick a database for a small side project?";

  private DemoProvider provider;
  private WebClient client;
  private final List<Throwable> unhandled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    vertx.exceptionHandler(unhandled::add);
    provider = DemoProvider.start(vertx, DemoOptions.instant()).await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    provider.stop().await(10, TimeUnit.SECONDS);
    assertThat(unhandled).isEmpty();
  }

  @Test
  void baseUrlPointsAtLoopback() {
    assertThat(provider.port()).isPositive();
    assertThat(provider.baseUrl()).isEqualTo("http://127.0.0.1:" + provider.port() + "/v1");
  }

  @Test
  void recipePointsEveryRoleAtTheProvider() {
    JsonObject recipe = provider.recipe();
    assertThat(recipe.getJsonArray("panel")).hasSize(3);
    assertThat(recipe.getJsonArray("panel").getJsonObject(0).getString("base_url")).isEqualTo(provider.baseUrl());
    assertThat(recipe.getJsonObject("judge").getString("model")).isEqualTo(DemoProvider.JUDGE_MODEL);
    assertThat(recipe.getJsonObject("pass_through").getString("api_key")).isNotBlank();
  }

  @Test
  void nonStreamingAnswerHasOpenAiShapeAndPricedUsage() throws Exception {
    JsonObject body = chat("demo/atlas", PROMPT);
    HttpResponse<Buffer> res = post(body, Map.of());

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.getHeader("content-type")).startsWith("application/json");
    assertThat(res.getHeader(DemoProvider.SIMULATED_HEADER)).isEqualTo("simulated");
    JsonObject json = res.bodyAsJsonObject();
    assertThat(json.getString("id")).startsWith("chatcmpl-");
    assertThat(json.getString("object")).isEqualTo("chat.completion");
    assertThat(json.getLong("created")).isPositive();
    assertThat(json.getString("model")).isEqualTo("demo/atlas");
    JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getInteger("index")).isZero();
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    String content = message.getString("content");
    assertThat(content).startsWith("[simulated demo/atlas]").contains("side project");

    JsonObject usage = json.getJsonObject("usage");
    long expectedPrompt = Math.max(1, PROMPT.length() / 4);
    long completion = DemoTokens.split(content).size();
    assertThat(usage.getLong("prompt_tokens")).isEqualTo(expectedPrompt);
    assertThat(usage.getLong("completion_tokens")).isEqualTo(completion);
    assertThat(usage.getLong("total_tokens")).isEqualTo(expectedPrompt + completion);
    assertThat(usage.getDouble("cost")).isCloseTo(expectedCost("demo/atlas", expectedPrompt, completion), within(1e-15));
  }

  @Test
  void streamingSendsRoleFirstThenFinishUsageAndDone() throws Exception {
    JsonObject body = chat("demo/birch", PROMPT).put("stream", true)
      .put("stream_options", new JsonObject().put("include_usage", true));
    HttpResponse<Buffer> res = post(body, Map.of());

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.getHeader("content-type")).startsWith("text/event-stream");
    List<String> frames = frames(res.bodyAsString());
    assertThat(frames.get(frames.size() - 1)).isEqualTo("[DONE]");
    List<JsonObject> chunks = frames.subList(0, frames.size() - 1).stream().map(JsonObject::new).toList();
    JsonObject usageChunk = chunks.get(chunks.size() - 1);
    JsonObject finishChunk = chunks.get(chunks.size() - 2);
    List<JsonObject> content = chunks.subList(0, chunks.size() - 2);

    String id = chunks.get(0).getString("id");
    for (JsonObject c : chunks) {
      assertThat(c.getString("id")).isEqualTo(id);
      assertThat(c.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(c.getString("model")).isEqualTo("demo/birch");
      assertThat(c.getLong("created")).isEqualTo(chunks.get(0).getLong("created"));
    }
    assertThat(delta(content.get(0)).getString("role")).isEqualTo("assistant");
    content.subList(1, content.size()).forEach(c -> assertThat(delta(c).containsKey("role")).isFalse());
    content.forEach(c -> assertThat(choice(c).getValue("finish_reason")).isNull());
    StringBuilder text = new StringBuilder();
    content.forEach(c -> text.append(delta(c).getString("content")));

    assertThat(delta(finishChunk).isEmpty()).isTrue();
    assertThat(choice(finishChunk).getString("finish_reason")).isEqualTo("stop");
    assertThat(usageChunk.getJsonArray("choices")).isEmpty();
    assertThat(usageChunk.getJsonObject("usage").getLong("completion_tokens")).isEqualTo(content.size());
    assertThat(usageChunk.getJsonObject("usage").getDouble("cost")).isPositive();

    // The stream and the buffered answer to the same request say the same thing.
    String buffered = post(chat("demo/birch", PROMPT), Map.of()).bodyAsJsonObject()
      .getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    assertThat(text.toString()).isEqualTo(buffered);
  }

  @Test
  void streamingWithoutIncludeUsageHasNoUsageChunk() throws Exception {
    List<String> frames = frames(post(chat("demo/cedar", PROMPT).put("stream", true), Map.of()).bodyAsString());
    assertThat(frames.get(frames.size() - 1)).isEqualTo("[DONE]");
    frames.subList(0, frames.size() - 1).stream().map(JsonObject::new)
      .forEach(c -> assertThat(c.containsKey("usage")).isFalse());
    assertThat(choice(new JsonObject(frames.get(frames.size() - 2))).getString("finish_reason")).isEqualTo("stop");
  }

  @Test
  void answersAreDeterministicAndPersonasDiffer() throws Exception {
    String a1 = content(post(chat("demo/atlas", PROMPT), Map.of()));
    String a2 = content(post(chat("demo/atlas", PROMPT), Map.of()));
    String b = content(post(chat("demo/birch", PROMPT), Map.of()));
    String c = content(post(chat("demo/cedar", PROMPT), Map.of()));
    String other = content(post(chat("demo/atlas", "Explain recursion to a child"), Map.of()));
    assertThat(a1).isEqualTo(a2);
    assertThat(List.of(a1, b, c)).doesNotHaveDuplicates();
    assertThat(other).isNotEqualTo(a1).contains("recursion");
    for (String text : List.of(a1, b, c)) {
      assertThat(text).containsIgnoringCase("simulated");
      assertThat(text.trim().split("\\s+").length).isBetween(30, 90);
    }
  }

  @Test
  void maxTokensCutsTheAnswerWithLength() throws Exception {
    JsonObject json = post(chat("demo/atlas", PROMPT).put("max_tokens", 5), Map.of()).bodyAsJsonObject();
    JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("length");
    assertThat(choice.getJsonObject("message").getString("content").split("\\s+")).hasSize(5);
    assertThat(json.getJsonObject("usage").getLong("completion_tokens")).isEqualTo(5);

    List<String> frames = frames(post(chat("demo/atlas", PROMPT).put("max_tokens", 3).put("stream", true), Map.of())
      .bodyAsString());
    assertThat(frames).hasSize(3 + 1 + 1);
    assertThat(choice(new JsonObject(frames.get(3))).getString("finish_reason")).isEqualTo("length");
  }

  @Test
  void invalidMaxTokensIsRejected() throws Exception {
    HttpResponse<Buffer> res = post(chat("demo/atlas", PROMPT).put("max_tokens", 0), Map.of());
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_max_tokens");
  }

  @Test
  void exactTokenHeaderPadsOrCutsTheAnswer() throws Exception {
    JsonObject json = post(chat("demo/atlas", PROMPT), Map.of(DemoProvider.HEADER_TOKENS, "250")).bodyAsJsonObject();
    assertThat(json.getJsonObject("usage").getLong("completion_tokens")).isEqualTo(250);
    assertThat(json.getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("stop");

    List<String> frames = frames(post(chat("demo/atlas", PROMPT).put("stream", true),
      Map.of(DemoProvider.HEADER_TOKENS, "7")).bodyAsString());
    assertThat(frames).hasSize(7 + 1 + 1);
  }

  @Test
  void judgeFusesPanelAnswersWithoutAnalysis() throws Exception {
    String content = content(post(judgeRequest(false), Map.of()));
    assertThat(content).startsWith("[simulated demo/judge]")
      .contains("3 panel answers")
      .contains("Consensus:")
      .contains("Contradictions:")
      .doesNotContain("===ANALYSIS===");
  }

  @Test
  void judgeAppendsParseableAnalysisWhenAsked() throws Exception {
    String content = content(post(judgeRequest(true), Map.of()));
    int at = content.indexOf("\n===ANALYSIS===\n");
    assertThat(at).isPositive();
    assertThat(content.substring(0, at)).contains("3 panel answers");
    JsonObject analysis = new JsonObject(content.substring(at + "\n===ANALYSIS===\n".length()));
    assertThat(analysis.fieldNames())
      .containsExactlyInAnyOrder("consensus", "contradictions", "partial_coverage", "unique_insights", "blind_spots");
    assertThat(analysis.getString("consensus")).isNotBlank();
    assertThat(analysis.getJsonArray("contradictions")).isNotNull();
    assertThat(analysis.getJsonArray("unique_insights")).isNotEmpty();

    // Streamed, the sentinel and the JSON arrive intact across chunks.
    JsonObject streamed = judgeRequest(true).put("stream", true);
    List<String> frames = frames(post(streamed, Map.of()).bodyAsString());
    StringBuilder text = new StringBuilder();
    frames.subList(0, frames.size() - 2).forEach(f -> text.append(delta(new JsonObject(f)).getString("content")));
    assertThat(text.toString()).isEqualTo(content);
  }

  @Test
  void judgeWithoutPanelAnswersAnswersLikeAModel() throws Exception {
    String content = content(post(chat(DemoProvider.JUDGE_MODEL, PROMPT), Map.of()));
    assertThat(content).startsWith("[simulated demo/judge]").doesNotContain("Consensus:");
  }

  @Test
  void unknownModelIs404WithOpenAiError() throws Exception {
    HttpResponse<Buffer> res = post(chat("gpt-4o", PROMPT), Map.of());
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", new JsonObject()
      .put("message", "model 'gpt-4o' is not served by the openfusion demo provider")
      .put("type", "invalid_request_error")
      .put("code", "model_not_found")));
  }

  @Test
  void badBodiesAre400() throws Exception {
    for (String raw : List.of("", "{not json", "[1,2]", "{\"model\":\"demo/atlas\"}", "{\"messages\":[{}]}")) {
      HttpResponse<Buffer> res = client.post(provider.port(), "127.0.0.1", "/v1/chat/completions")
        .putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(raw)).await(5, TimeUnit.SECONDS);
      assertThat(res.statusCode()).as(raw).isEqualTo(400);
      assertThat(res.bodyAsJsonObject().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    }
  }

  @Test
  void failHeaderAndFailModelReturnErrors() throws Exception {
    HttpResponse<Buffer> res = post(chat("demo/atlas", PROMPT), Map.of(DemoProvider.HEADER_FAIL_STATUS, "503"));
    assertThat(res.statusCode()).isEqualTo(503);
    JsonObject error = res.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("message")).contains("simulated");
    assertThat(error.getString("type")).isEqualTo("overloaded_error");

    HttpResponse<Buffer> limited = post(chat("demo/atlas", PROMPT), Map.of(DemoProvider.HEADER_FAIL_STATUS, "429"));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("retry-after")).isEqualTo("1");

    HttpResponse<Buffer> fail = post(chat(DemoProvider.FAIL_MODEL, PROMPT).put("stream", true), Map.of());
    assertThat(fail.statusCode()).isEqualTo(500);
    assertThat(fail.bodyAsJsonObject().getJsonObject("error").getString("type")).isEqualTo("server_error");

    HttpResponse<Buffer> badKnob = post(chat("demo/atlas", PROMPT), Map.of(DemoProvider.HEADER_FAIL_STATUS, "abc"));
    assertThat(badKnob.statusCode()).isEqualTo(400);
  }

  @Test
  void latencyHeaderDelaysTheAnswer() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> res = post(chat("demo/atlas", PROMPT), Map.of(DemoProvider.HEADER_LATENCY_MS, "150"));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(140);
    assertThat(provider.inFlight()).isZero();
  }

  @Test
  void modelListPublishesPricesForEveryServedModel() throws Exception {
    HttpResponse<Buffer> res = client.get(provider.port(), "127.0.0.1", "/v1/models").send().await(5, TimeUnit.SECONDS);
    assertThat(res.statusCode()).isEqualTo(200);
    JsonObject json = res.bodyAsJsonObject();
    assertThat(json.getString("object")).isEqualTo("list");
    JsonArray data = json.getJsonArray("data");
    List<String> ids = new ArrayList<>();
    List<String> promptPrices = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonObject m = data.getJsonObject(i);
      ids.add(m.getString("id"));
      assertThat(m.getString("object")).isEqualTo("model");
      assertThat(m.getInteger("created")).isZero();
      assertThat(m.getString("owned_by")).isEqualTo("openfusion-demo");
      promptPrices.add(m.getJsonObject("pricing").getString("prompt"));
      new BigDecimal(m.getJsonObject("pricing").getString("completion"));
    }
    assertThat(ids).containsAll(DemoProvider.PANEL_MODELS)
      .contains(DemoProvider.JUDGE_MODEL, DemoProvider.FAIL_MODEL, DemoProvider.SLOW_MODEL);
    assertThat(promptPrices).doesNotHaveDuplicates();
    assertThat(data.getJsonObject(0).getJsonObject("pricing"))
      .isEqualTo(new JsonObject().put("prompt", "0.0000001").put("completion", "0.0000004"));
  }

  @Test
  void unknownPathIsOpenAiShaped404() throws Exception {
    HttpResponse<Buffer> res = client.get(provider.port(), "127.0.0.1", "/v2/nothing").send().await(5, TimeUnit.SECONDS);
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("/v2/nothing");
  }

  @Test
  void clientDisconnectStopsTheStream(Vertx vertx) throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      HttpClientRequest req = http.request(HttpMethod.POST, provider.port(), "127.0.0.1", "/v1/chat/completions")
        .await(5, TimeUnit.SECONDS);
      req.putHeader("content-type", "application/json")
        .putHeader(DemoProvider.HEADER_TOKENS, "10000")
        .putHeader(DemoProvider.HEADER_INTER_TOKEN_MS, "20");
      Promise<Void> firstChunk = Promise.promise();
      req.send(chat("demo/atlas", PROMPT).put("stream", true).toBuffer())
        .compose(res -> {
          res.handler(buf -> firstChunk.tryComplete());
          return firstChunk.future();
        })
        .await(5, TimeUnit.SECONDS);
      assertThat(provider.inFlight()).isEqualTo(1);

      req.connection().close().await(5, TimeUnit.SECONDS);
      awaitCondition(() -> provider.inFlight() == 0);
      assertThat(provider.cancelled()).isEqualTo(1);
    } finally {
      http.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void slowModelGivesUpWhenTheClientLeaves(Vertx vertx) throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      HttpClientRequest req = http.request(HttpMethod.POST, provider.port(), "127.0.0.1", "/v1/chat/completions")
        .await(5, TimeUnit.SECONDS);
      req.putHeader("content-type", "application/json");
      req.send(chat(DemoProvider.SLOW_MODEL, PROMPT).toBuffer());
      awaitCondition(() -> provider.inFlight() == 1);
      req.connection().close().await(5, TimeUnit.SECONDS);
      awaitCondition(() -> provider.inFlight() == 0);
      assertThat(provider.cancelled()).isEqualTo(1);
    } finally {
      http.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void stopIsIdempotent(Vertx vertx) throws Exception {
    DemoProvider second = DemoProvider.start(vertx, DemoOptions.instant().withPort(0)).await(5, TimeUnit.SECONDS);
    assertThat(second.port()).isNotEqualTo(provider.port());
    second.stop().await(5, TimeUnit.SECONDS);
    second.stop().await(5, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------------------------------------

  private static JsonObject chat(String model, String prompt) {
    return new JsonObject().put("model", model)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }

  private static JsonObject judgeRequest(boolean withAnalysis) {
    String system = "You are the synthesizer. Identify consensus, contradictions, partial coverage, unique insights,"
      + " and blind spots, then write the best answer."
      + (withAnalysis ? " After the answer output a line containing exactly ===ANALYSIS=== and then one JSON object." : "");
    String user = "Original user request:\n" + PROMPT + "\n\nPanel answers:\n"
      + "### demo/atlas\n- SQLite is enough for a side project.\n- Postgres if you need concurrency.\n\n"
      + "### demo/birch\n1. List your data.\n2. Try SQLite first.\n3. Move to Postgres when writes grow beyond one process.\n\n"
      + "### demo/cedar\nSQLite is simple but single-writer; Postgres scales but needs a server. Caveat: backups matter.";
    return new JsonObject().put("model", DemoProvider.JUDGE_MODEL).put("messages", new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", system))
      .add(new JsonObject().put("role", "user").put("content", user)));
  }

  private HttpResponse<Buffer> post(JsonObject body, Map<String, String> headers) throws Exception {
    HttpRequest<Buffer> req = client.post(provider.port(), "127.0.0.1", "/v1/chat/completions");
    headers.forEach(req::putHeader);
    return req.sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  private static String content(HttpResponse<Buffer> res) {
    assertThat(res.statusCode()).isEqualTo(200);
    return res.bodyAsJsonObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }

  /** The data payloads of an SSE body, in order; every frame must be a single {@code data:} line. */
  private static List<String> frames(String sse) {
    assertThat(sse).endsWith("\n\n");
    List<String> out = new ArrayList<>();
    for (String frame : sse.split("\n\n")) {
      assertThat(frame).startsWith("data: ").doesNotContain("\n");
      out.add(frame.substring("data: ".length()));
    }
    return out;
  }

  private static JsonObject choice(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0);
  }

  private static JsonObject delta(JsonObject chunk) {
    return choice(chunk).getJsonObject("delta");
  }

  private double expectedCost(String model, long prompt, long completion) throws Exception {
    JsonArray data = client.get(provider.port(), "127.0.0.1", "/v1/models").send().await(5, TimeUnit.SECONDS)
      .bodyAsJsonObject().getJsonArray("data");
    for (int i = 0; i < data.size(); i++) {
      JsonObject m = data.getJsonObject(i);
      if (m.getString("id").equals(model)) {
        JsonObject p = m.getJsonObject("pricing");
        return new BigDecimal(p.getString("prompt")).multiply(BigDecimal.valueOf(prompt))
          .add(new BigDecimal(p.getString("completion")).multiply(BigDecimal.valueOf(completion))).doubleValue();
      }
    }
    throw new AssertionError("no price for " + model);
  }

  private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }
}
