package io.openfusion.autorouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.openfusion.autorouter.RouterConfigs.assistant;
import static io.openfusion.autorouter.RouterConfigs.chat;
import static io.openfusion.autorouter.RouterConfigs.config;
import static io.openfusion.autorouter.RouterConfigs.route;
import static io.openfusion.autorouter.RouterConfigs.router;
import static io.openfusion.autorouter.RouterConfigs.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.upstream.UpstreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code mode: model} against a WireMock classifier, through a real {@link UpstreamClient}. */
class AutoRouterClassifierTest {

  private static final String PATH = "/v1/chat/completions";
  private static final String KEY = "sk-classifier-123";
  private static final List<RouteModel> MODELS = List.of(route("small-model", "fast"), route("big-model", "strong"));

  private static WireMockServer wm;
  private static Vertx vertx;
  private UpstreamClient client;
  private final LocalOutcomeStore outcomes = new LocalOutcomeStore();

  @BeforeAll
  static void start() throws Exception {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    vertx = Vertx.vertx();
    // one throw-away call so the first test's timing is not charged with class loading
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("FUSE"))));
    UpstreamClient warm = UpstreamClient.create(vertx, UpstreamOptions.defaults());
    new AutoRouter(config(classifierRouter(List.of(), Duration.ofSeconds(5))), warm, new LocalOutcomeStore())
      .decide(chat(user("warm up")), null, 0).await(20, TimeUnit.SECONDS);
    warm.close().await(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    wm.stop();
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void setUp() {
    wm.resetAll();
    client = UpstreamClient.create(vertx, UpstreamOptions.defaults());
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close().await(5, TimeUnit.SECONDS);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static RouterConfig classifierRouter(List<RouteModel> models, Duration timeout) {
    UpstreamConfig classifier = UpstreamConfig.of("http://127.0.0.1:" + wm.port() + "/v1", KEY, "clf-model");
    return router(RouterConfig.MODE_MODEL, classifier, models, timeout);
  }

  private AutoRouter autoRouter(List<RouteModel> models) {
    return autoRouter(models, Duration.ofSeconds(5));
  }

  private AutoRouter autoRouter(List<RouteModel> models, Duration timeout) {
    return new AutoRouter(config(classifierRouter(models, timeout)), client, outcomes);
  }

  private static String completion(String content) {
    return new JsonObject().put("id", "c").put("object", "chat.completion")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", content))
        .put("finish_reason", "stop")))
      .encode();
  }

  private static void classifierSays(String content) {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion(content))));
  }

  private static RouteDecision await(Future<RouteDecision> decision) {
    try {
      return decision.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no decision within 10 s", e);
    }
  }

  private static List<LoggedRequest> calls() {
    return wm.findAll(postRequestedFor(urlEqualTo(PATH)));
  }

  private static JsonObject onlyCallBody() {
    List<LoggedRequest> calls = calls();
    assertThat(calls).hasSize(1);
    return new JsonObject(calls.get(0).getBodyAsString());
  }

  // ---- FUSE / SOLO prompt (no route models) ---------------------------------------------------

  @Test
  void fuseReplyFuses() {
    classifierSays("FUSE");
    AutoRouter router = autoRouter(List.of());
    RouteDecision d = await(router.decide(chat(user("hi")), null, 0));
    assertThat(d).isEqualTo(RouteDecision.fuse(Tier.FAST, RouteDecision.REASON_CLASSIFIER_FUSE));
    assertThat(router.fallbacks()).isZero();
  }

  @Test
  void callIsDeterministicNonStreamedAndCarriesOnlyTheLatestUserTurn() {
    classifierSays("SOLO");
    await(autoRouter(List.of()).decide(chat(user("old question " + "z".repeat(300)), assistant("old answer"),
      user("x".repeat(4500))), null, 0));
    wm.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + KEY)));
    JsonObject body = onlyCallBody();
    assertThat(body.getString("model")).isEqualTo("clf-model");
    assertThat(body.getInteger("temperature")).isZero();
    assertThat(body.getInteger("max_tokens")).isEqualTo(RouterConfig.DEFAULT_CLASSIFIER_MAX_TOKENS);
    assertThat(body.getBoolean("stream", false)).isFalse();
    JsonArray messages = body.getJsonArray("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.getJsonObject(0).getString("content")).isEqualTo(ClassifierPrompts.FUSE_OR_SOLO);
    assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("x".repeat(4000));
  }

  @Test
  void soloReplyGoesToTheDefaultPassThrough() {
    classifierSays("solo");
    AutoRouter router = autoRouter(List.of());
    RouteDecision d = await(router.decide(chat(user("why is the sky blue?")), null, 0));
    assertThat(d).isEqualTo(RouteDecision.solo(Tier.FAST, null, RouteDecision.REASON_CLASSIFIER_SOLO));
    assertThat(router.fallbacks()).isZero();
  }

  // ---- model-pick prompt (route models) -------------------------------------------------------

  @Test
  void modelIdReplyPicksThatModel() {
    classifierSays("big-model");
    AutoRouter router = autoRouter(MODELS);
    RouteDecision d = await(router.decide(chat(user("hello")), null, 0));
    assertThat(d.fuse()).isFalse();
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_CLASSIFIER_MODEL);
    assertThat(d.soloTarget()).isEqualTo(new UpstreamRef(UpstreamRef.ROUTE, 1, "big-model", "big-model"));
    assertThat(d.tier()).isEqualTo(Tier.FAST);
    JsonObject body = onlyCallBody();
    assertThat(body.getInteger("max_tokens")).isEqualTo(ClassifierPrompts.MODEL_PICK_MAX_TOKENS);
    assertThat(body.getJsonArray("messages").getJsonObject(0).getString("content"))
      .isEqualTo(ClassifierPrompts.modelPick(MODELS))
      .contains("- small-model (fast)", "- big-model (strong)");
    assertThat(router.fallbacks()).isZero();
  }

  @Test
  void modelPickFuseReplyFuses() {
    classifierSays("FUSE");
    RouteDecision d = await(autoRouter(MODELS).decide(chat(user("hello")), null, 0));
    assertThat(d).isEqualTo(RouteDecision.fuse(Tier.FAST, RouteDecision.REASON_CLASSIFIER_FUSE));
  }

  @Test
  void modelPickSoloReplyUsesTheTiersModel() {
    classifierSays("SOLO");
    RouteDecision d = await(autoRouter(MODELS).decide(chat(user("please debug my thing")), null, 0));
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_CLASSIFIER_SOLO);
    assertThat(d.soloTarget()).isEqualTo(new UpstreamRef(UpstreamRef.ROUTE, 1, "big-model", "big-model"));
  }

  // ---- fallbacks ------------------------------------------------------------------------------

  @Test
  void garbageFallsBackToTheHeuristicOnceWithOneCall() {
    classifierSays("I would rather not say");
    AutoRouter router = autoRouter(MODELS);
    RouteDecision d = await(router.decide(chat(user("why?")), null, 0));
    assertThat(d).isEqualTo(RouteDecision.fuse(Tier.FAST, RouteDecision.REASON_FALLBACK));
    assertThat(router.fallbacks()).isEqualTo(1);
    assertThat(calls()).as("no second FUSE/SOLO call").hasSize(1);

    RouteDecision solo = await(router.decide(chat(user("hello")), null, 0));
    assertThat(solo).isEqualTo(RouteDecision.solo(Tier.FAST,
      new UpstreamRef(UpstreamRef.ROUTE, 0, "small-model", "small-model"), RouteDecision.REASON_FALLBACK));
    assertThat(router.fallbacks()).isEqualTo(2);
    assertThat(calls()).hasSize(2);
  }

  @Test
  void emptyContentFallsBack() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"choices\":[]}")));
    AutoRouter router = autoRouter(List.of());
    assertThat(await(router.decide(chat(user("hello")), null, 0)).reason()).isEqualTo(RouteDecision.REASON_FALLBACK);
    assertThat(router.fallbacks()).isEqualTo(1);
  }

  @Test
  void http500FallsBackWithOneCall() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));
    AutoRouter router = autoRouter(MODELS);
    RouteDecision d = await(router.decide(chat(user("compare these")), null, 0));
    assertThat(d.fuse()).isTrue();
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_FALLBACK);
    assertThat(router.fallbacks()).isEqualTo(1);
    assertThat(calls()).hasSize(1);
  }

  @Test
  void connectionRefusedFallsBack() throws Exception {
    UpstreamConfig nowhere = UpstreamConfig.of("http://127.0.0.1:1/v1", KEY, "clf-model");
    AutoRouter router = new AutoRouter(config(router(RouterConfig.MODE_MODEL, nowhere, List.of(), Duration.ofSeconds(5))),
      client, outcomes);
    assertThat(await(router.decide(chat(user("hello")), null, 0)).reason()).isEqualTo(RouteDecision.REASON_FALLBACK);
    assertThat(router.fallbacks()).isEqualTo(1);
  }

  @Test
  void slowClassifierFallsBackWithinTheTimeout() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("SOLO")).withFixedDelay(4_000)));
    Duration timeout = Duration.ofMillis(500);
    AutoRouter router = autoRouter(List.of(), timeout);
    long start = System.nanoTime();
    RouteDecision d = await(router.decide(chat(user("why?")), null, 0));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_FALLBACK);
    assertThat(d.fuse()).isTrue();
    assertThat(elapsedMs).isLessThan(timeout.toMillis() + 1_000);
    assertThat(router.fallbacks()).isEqualTo(1);
    assertThat(calls()).hasSize(1);
  }

  @Test
  void requestDeadlineCapsTheClassifier() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("SOLO")).withFixedDelay(4_000)));
    AutoRouter router = autoRouter(List.of(), Duration.ofSeconds(30));
    long start = System.nanoTime();
    RouteDecision d = await(router.decide(chat(user("hello")), null, System.currentTimeMillis() + 400));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(d.reason()).isEqualTo(RouteDecision.REASON_FALLBACK);
    assertThat(elapsedMs).isLessThan(400 + 1_000);
  }

  @Test
  void classifierDeadlineIsTheEarlierOfTimeoutAndRequestDeadline() {
    AutoRouter router = autoRouter(List.of(), Duration.ofMillis(2_500));
    assertThat(router.classifierDeadline(1_000, 0)).isEqualTo(3_500);
    assertThat(router.classifierDeadline(1_000, 9_000)).isEqualTo(3_500);
    assertThat(router.classifierDeadline(1_000, 2_000)).isEqualTo(2_000);
  }

  @Test
  void fallbackUsesTheLearnedOutcomes() {
    for (int i = 0; i < 10; i++) {
      outcomes.record(OutcomeStore.FUSION, Tier.FAST, true);
      outcomes.record(OutcomeStore.PASS_THROUGH, Tier.FAST, false);
    }
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
    RouteDecision d = await(autoRouter(List.of()).decide(chat(user("hello")), null, 0));
    assertThat(d).isEqualTo(RouteDecision.fuse(Tier.FAST, RouteDecision.REASON_FALLBACK));
  }

  // ---- no call ----------------------------------------------------------------------------------

  @Test
  void cancellationMidCallIsNotCountedAsAFallback() {
    wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(completion("FUSE")).withFixedDelay(4_000)));
    AutoRouter router = autoRouter(List.of());
    Promise<Void> cancel = Promise.promise();
    vertx.setTimer(200, id -> cancel.tryComplete());
    long start = System.nanoTime();
    RouteDecision d = await(router.decide(chat(user("hello")), cancel.future(), 0));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    assertThat(d.fuse()).isFalse();
    assertThat(router.fallbacks()).isZero();
  }

  @Test
  void alreadyCancelledOrEmptyPromptsMakeNoCall() {
    classifierSays("FUSE");
    AutoRouter router = autoRouter(List.of());
    RouteDecision cancelled = await(router.decide(chat(user("hello")), Future.succeededFuture(), 0));
    assertThat(cancelled.reason()).isEqualTo(RouteDecision.REASON_SHORT);
    RouteDecision empty = await(router.decide(chat(user("  ")), null, 0));
    assertThat(empty.reason()).isEqualTo(RouteDecision.REASON_SHORT);
    assertThat(calls()).isEmpty();
    assertThat(router.fallbacks()).isZero();
  }

  @Test
  void otherModesNeverCallTheClassifier() {
    classifierSays("FUSE");
    UpstreamConfig classifier = UpstreamConfig.of("http://127.0.0.1:" + wm.port() + "/v1", KEY, "clf-model");
    for (String mode : List.of(RouterConfig.MODE_HEURISTIC, RouterConfig.MODE_ALWAYS, RouterConfig.MODE_NEVER)) {
      await(new AutoRouter(config(router(mode, classifier, MODELS, Duration.ofSeconds(5))), client, outcomes)
        .decide(chat(user("hello")), null, 0));
    }
    assertThat(calls()).isEmpty();
  }
}
