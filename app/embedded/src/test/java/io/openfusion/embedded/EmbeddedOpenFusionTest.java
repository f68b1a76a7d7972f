package io.openfusion.embedded;

import io.openfusion.shared.config.loading.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** A host application with two tenants: their recipes, their usage records, the host's own route next to the API. */
class EmbeddedOpenFusionTest {

  private static final FakeUpstream UPSTREAM = new FakeUpstream();
  private static final EmbeddedHost HOST = new EmbeddedHost();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    UPSTREAM.start();
    for (String model : List.of("base-1", "base-judge", "pt-default", "alpha-1", "alpha-2", "alpha-judge", "beta-1",
      "beta-judge", "pt-other")) {
      UPSTREAM.model(model);
    }
    UPSTREAM.failing("failing-model");
    UPSTREAM.cut("cut-model");
    HOST.start(UPSTREAM, record -> {
      throw new IllegalStateException("the host's listener is broken");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    HOST.stop();
    UPSTREAM.stop();
  }

  @BeforeEach
  void clear() {
    UPSTREAM.reset();
    HOST.usage.clear();
    HOST.onWorker.clear();
  }

  @Test
  void eachTenantRunsItsOwnRecipe() throws Exception {
    HttpResponse<String> alpha = chat(EmbeddedHost.KEY_ALPHA, "openfusion", false);
    assertThat(alpha.statusCode()).isEqualTo(200);
    assertThat(UPSTREAM.modelsCalled()).containsExactlyInAnyOrder("alpha-1", "alpha-2", "alpha-judge");
    assertThat(new JsonObject(alpha.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
      .getString("content")).isEqualTo("answer from alpha-judge");

    UPSTREAM.reset();
    HttpResponse<String> beta = chat(EmbeddedHost.KEY_BETA, "openfusion", false);
    assertThat(beta.statusCode()).isEqualTo(200);
    assertThat(UPSTREAM.modelsCalled()).containsExactlyInAnyOrder("beta-1", "beta-judge");

    UPSTREAM.reset();
    assertThat(chat(EmbeddedHost.KEY_BASE, "openfusion", false).statusCode()).isEqualTo(200);
    assertThat(UPSTREAM.modelsCalled()).containsExactlyInAnyOrder("base-1", "base-judge");

    List<UsageRecord> records = settledRecords(3);
    assertThat(records).extracting(UsageRecord::recipe).containsExactlyInAnyOrder("alpha", "beta", null);
    assertThat(records).extracting(UsageRecord::callerId).contains(Caller.idOfGatewayKey(EmbeddedHost.KEY_ALPHA),
      Caller.idOfGatewayKey(EmbeddedHost.KEY_BETA));
  }

  @Test
  void aFusedNonStreamedRequestReportsEveryCallOnce() throws Exception {
    HttpResponse<String> response = chat(EmbeddedHost.KEY_ALPHA, "openfusion", false);
    assertThat(response.statusCode()).isEqualTo(200);

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.route()).isEqualTo(UsageRecord.Route.FUSION);
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.SUCCESS);
    assertThat(record.streamed()).isFalse();
    assertThat(record.endpoint()).isEqualTo("chat.completions");
    assertThat(record.errorCode()).isNull();
    assertThat(record.calls()).extracting(CallUsage::role, CallUsage::model).containsExactlyInAnyOrder(
      org.assertj.core.groups.Tuple.tuple("panel", "alpha-1"), org.assertj.core.groups.Tuple.tuple("panel", "alpha-2"),
      org.assertj.core.groups.Tuple.tuple("judge", "alpha-judge"));
    assertThat(record.calls()).allSatisfy(call -> assertThat(call.usage().totalTokens()).isEqualTo(15));
    assertThat(record.total().totalTokens()).isEqualTo(45);
    assertThat(record.total().costUsd()).isCloseTo(3 * FakeUpstream.COST, within(1e-9));
    assertThat(HOST.onWorker).containsExactly(true);
  }

  @Test
  void theResponsesApiIsReportedUnderItsOwnEndpoint() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri("/llm/v1/responses"))
      .header("Authorization", "Bearer " + EmbeddedHost.KEY_BETA).header("Content-Type", "application/json")
      .timeout(Duration.ofSeconds(30))
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("model", "openfusion").put("input", "Hello?")
        .encode())).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(UPSTREAM.modelsCalled()).containsExactlyInAnyOrder("beta-1", "beta-judge");

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.endpoint()).isEqualTo("responses");
    assertThat(record.recipe()).isEqualTo("beta");
    assertThat(record.route()).isEqualTo(UsageRecord.Route.FUSION);
    assertThat(record.total().totalTokens()).isEqualTo(30);
  }

  @Test
  void aFusedStreamReportsOnceAfterItsLastByte() throws Exception {
    HttpResponse<String> response = chat(EmbeddedHost.KEY_BETA, "openfusion", true);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("answer from beta-judge").contains("data: [DONE]");

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.recipe()).isEqualTo("beta");
    assertThat(record.route()).isEqualTo(UsageRecord.Route.FUSION);
    assertThat(record.streamed()).isTrue();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.SUCCESS);
    assertThat(record.calls()).extracting(CallUsage::model).containsExactlyInAnyOrder("beta-1", "beta-judge");
    assertThat(record.total().totalTokens()).isEqualTo(30);
  }

  @Test
  void aPassThroughReportsItsOneCall() throws Exception {
    HttpResponse<String> response = chat(EmbeddedHost.KEY_ALPHA, "pt-other", false);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(UPSTREAM.modelsCalled()).containsExactly("pt-other");

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.route()).isEqualTo(UsageRecord.Route.PASS_THROUGH);
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.SUCCESS);
    assertThat(record.calls()).singleElement().satisfies(call -> {
      assertThat(call.role()).isEqualTo("pass_through");
      assertThat(call.model()).isEqualTo("pt-other");
      assertThat(call.usage().totalTokens()).isEqualTo(15);
    });
    assertThat(record.total().costUsd()).isCloseTo(FakeUpstream.COST, within(1e-9));
  }

  @Test
  void aFailingRequestReportsOnceWithItsErrorCode() throws Exception {
    HttpResponse<String> response = chat(EmbeddedHost.KEY_ALPHA, "failing-model", false);
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).contains("upstream broke");

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.route()).isEqualTo(UsageRecord.Route.PASS_THROUGH);
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.ERROR);
    assertThat(record.errorCode()).isNotNull();
    assertThat(record.total()).isEqualTo(Usage.NONE);
  }

  @Test
  void aStreamThatFailsAfterItsFirstByteReportsTheErrorItEndedWith() throws Exception {
    HttpResponse<String> response = chat(EmbeddedHost.KEY_BETA, "cut-model", true);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("half an answ").contains("\"code\":\"upstream_error\"").endsWith("data: [DONE]\n\n");

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.route()).isEqualTo(UsageRecord.Route.PASS_THROUGH);
    assertThat(record.streamed()).isTrue();
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.ERROR);
    assertThat(record.errorCode()).isEqualTo("upstream_error");
  }

  @Test
  void aRequestTheEdgeRefusesIsReportedOnceToo() throws Exception {
    HttpResponse<String> response = post(EmbeddedHost.KEY_ALPHA, new JsonObject().put("model", "openfusion"));
    assertThat(response.statusCode()).isEqualTo(400);

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.route()).isEqualTo(UsageRecord.Route.NONE);
    assertThat(record.outcome()).isEqualTo(UsageRecord.Outcome.ERROR);
    assertThat(record.errorCode()).isEqualTo(new JsonObject(response.body()).getJsonObject("error").getString("code"));
    assertThat(UPSTREAM.modelsCalled()).isEmpty();
  }

  @Test
  void aResolverThatFailsGivesAnOpenAiErrorNotAStackTrace() throws Exception {
    HttpResponse<String> response = chat(EmbeddedHost.KEY_UNRESOLVABLE, "openfusion", true);
    assertThat(response.statusCode()).isEqualTo(500);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("recipe_unavailable");
    assertThat(error.getString("type")).isEqualTo("server_error");
    assertThat(error.getString("message")).contains("tenant directory unavailable");
    assertThat(UPSTREAM.modelsCalled()).isEmpty();

    UsageRecord record = onlyRecordOf(response);
    assertThat(record.errorCode()).isEqualTo("recipe_unavailable");
    assertThat(record.streamed()).isTrue();
  }

  @Test
  void theHostKeepsItsOwnRoutesAndItsGatewayKeysApply() throws Exception {
    HttpResponse<String> hello = HTTP.send(HttpRequest.newBuilder(uri("/hello")).GET().build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello from the host");

    HttpResponse<String> anonymous = chat("not-a-gateway-key", "openfusion", false);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(anonymous.body()).getJsonObject("error").getString("code")).isEqualTo("invalid_api_key");
  }

  @Test
  void aBadRecipeFailsTheDeploymentWithItsKeyPath() {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject broken = EmbeddedHost.panelRecipe(UPSTREAM, "judge", "member");
      broken.getJsonArray("panel").getJsonObject(0).remove("base_url");
      Throwable failure = OpenFusion.builder(vertx)
        .config(EmbeddedHost.baseConfig(UPSTREAM))
        .env(Map.of())
        .recipe("tenant-b", broken)
        .deploy()
        .transform(done -> io.vertx.core.Future.succeededFuture(done.cause()))
        .await(30, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) failure).keyPath()).isEqualTo("recipes.tenant-b.panel[0].base_url");
      assertThat(failure.getMessage()).startsWith("recipes.tenant-b.panel[0].base_url: ");
      assertThat(vertx.deploymentIDs()).isEmpty();
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      vertx.close();
    }
  }

  @Test
  void aNodeSettingInARecipeIsRefusedWithItsKeyPath() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable failure = OpenFusion.builder(vertx)
        .config(EmbeddedHost.baseConfig(UPSTREAM))
        .env(Map.of())
        .recipe("tenant-c", EmbeddedHost.panelRecipe(UPSTREAM, "judge", "member")
          .put("gateway", new JsonObject().put("api_keys", new JsonArray().add("x"))))
        .deploy()
        .transform(done -> io.vertx.core.Future.succeededFuture(done.cause()))
        .await(30, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(ConfigException.class).hasMessageStartingWith("recipes.tenant-c.gateway: ");
    } finally {
      vertx.close();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + HOST.port() + path);
  }

  private static HttpResponse<String> chat(String key, String model, boolean stream) throws Exception {
    return post(key, new JsonObject().put("model", model).put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello?"))));
  }

  private static HttpResponse<String> post(String key, JsonObject body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri("/llm/v1/chat/completions"))
      .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
      .timeout(Duration.ofSeconds(30))
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The one record of this response's request, after a quiet moment in which a second one would have shown up. */
  private static UsageRecord onlyRecordOf(HttpResponse<String> response) {
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    await().atMost(Duration.ofSeconds(10))
      .until(() -> HOST.usage.stream().anyMatch(r -> requestId.equals(r.requestId())));
    List<UsageRecord> records = settledRecords(1);
    assertThat(records).extracting(UsageRecord::requestId).containsExactly(requestId);
    return records.get(0);
  }

  /** Waits for {@code count} records, then a little longer, and returns all of them: exactly once means no more come. */
  private static List<UsageRecord> settledRecords(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> HOST.usage.size() >= count);
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    assertThat(HOST.usage).hasSize(count);
    return List.copyOf(HOST.usage);
  }
}
