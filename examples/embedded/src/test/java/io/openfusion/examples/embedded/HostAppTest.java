package io.openfusion.examples.embedded;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The example host against a WireMock upstream: its own routes, and each tenant on its own recipe. */
class HostAppTest {

  private static final List<String> MODELS = List.of("openai/gpt-4o", "openai/gpt-4o-mini", "anthropic/claude-3.5-haiku",
    "google/gemini-2.0-flash-001", "meta-llama/llama-3.1-8b-instruct");

  private final WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private HostApp.Running host;

  @BeforeEach
  void start() throws Exception {
    upstream.start();
    MODELS.forEach(this::stub);
    vertx = Vertx.vertx();
    host = HostApp.start(vertx, new HostApp.Settings("http://127.0.0.1:" + upstream.port() + "/v1", "sk-upstream",
      "acme-test-key", "globex-test-key", 0)).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    host.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    upstream.stop();
  }

  @Test
  void theTenantsGetTheirOwnRecipesAndTheHostCountsTheirUsage() throws Exception {
    assertThat(get("/hello").body()).isEqualTo("hello from the host application");

    assertThat(ask("acme-test-key").statusCode()).isEqualTo(200);
    assertThat(modelsCalled()).containsExactlyInAnyOrder("openai/gpt-4o-mini", "anthropic/claude-3.5-haiku",
      "google/gemini-2.0-flash-001", "openai/gpt-4o");

    upstream.resetRequests();
    assertThat(ask("globex-test-key").statusCode()).isEqualTo(200);
    assertThat(modelsCalled()).containsExactlyInAnyOrder("meta-llama/llama-3.1-8b-instruct", "openai/gpt-4o-mini");

    // acme: four calls of 15 tokens; globex: two
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(new JsonObject(get("/usage").body()))
      .isEqualTo(new JsonObject()
        .put("acme", new JsonObject().put("requests", 1).put("tokens", 60))
        .put("globex", new JsonObject().put("requests", 1).put("tokens", 30))));
  }

  @Test
  void aKeyThatIsNoTenantsIsRefused() throws Exception {
    HttpResponse<String> response = ask("nobody");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(modelsCalled()).isEmpty();
  }

  private HttpResponse<String> ask(String key) throws Exception {
    JsonObject body = new JsonObject().put("model", "openfusion")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello?")));
    return http.send(HttpRequest.newBuilder(uri("/llm/v1/chat/completions")).header("Authorization", "Bearer " + key)
      .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + host.server().actualPort() + path);
  }

  private List<String> modelsCalled() {
    return upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).stream()
      .map(LoggedRequest::getBodyAsString).map(body -> new JsonObject(body).getString("model")).toList();
  }

  /** Every model answers with 15 tokens: as a completion, or as a stream (the judge streams). */
  private void stub(String model) {
    JsonObject usage = new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
    JsonObject completion = new JsonObject().put("id", "c").put("object", "chat.completion").put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant").put("content", "answer from " + model))))
      .put("usage", usage);
    JsonObject text = chunk(model, new JsonObject().put("role", "assistant").put("content", "answer from " + model), null);
    JsonObject usageChunk = new JsonObject().put("id", "s").put("object", "chat.completion.chunk").put("model", model)
      .put("choices", new JsonArray()).put("usage", usage);
    String sse = "data: " + text.encode() + "\n\n" + "data: " + chunk(model, new JsonObject(), "stop").encode() + "\n\n"
      + "data: " + usageChunk.encode() + "\n\n" + "data: [DONE]\n\n";
    upstream.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
      .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
      .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
      .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(sse)));
    upstream.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(2)
      .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
      .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(completion.encode())));
  }

  private static JsonObject chunk(String model, JsonObject delta, String finish) {
    return new JsonObject().put("id", "s").put("object", "chat.completion.chunk").put("created", 1).put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish)));
  }
}
