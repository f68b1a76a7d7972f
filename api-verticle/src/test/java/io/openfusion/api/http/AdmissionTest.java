package io.openfusion.api.http;

import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.limits.LocalRateLimiter;
import io.openfusion.shared.limits.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission on a router shaped like the api's chat route (gateway auth, admission, body handler, a
 * handler that answers after a delay like a slow upstream).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdmissionTest {

  /** How long the stand-in for a slow upstream takes to answer. */
  private static final long SLOW_MS = 800;
  /** How long a large body waits for the ones ahead of it here: longer than the slow stand-in takes. */
  private static final long WAIT_MS = 2_000;
  private static final long T0 = 29_000_000L * 60_000 + 15_000;

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger inFlight = new AtomicInteger();
  private BodyBudget bodies;
  private WebClient web;
  private Admission admission;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private int serve(LimitsConfig limits, RateLimiter limiter) {
    return serve(limits, limiter, new BodyBudget(10_000_000, WAIT_MS));
  }

  private int serve(LimitsConfig limits, RateLimiter limiter, BodyBudget budget) {
    bodies = budget;
    admission = new Admission(limits, limiter, inFlight, bodies);
    Router router = Router.router(vertx);
    router.route("/v1/*").handler(new GatewayAuth(List.of())::handle);
    router.post("/v1/chat/completions").handler(admission::handle);
    router.post("/v1/chat/completions").handler(BodyHandler.create(false)).handler(admission::chargeReadBody);
    router.post("/v1/chat/completions").handler(ctx -> {
      if (ctx.request().getHeader("x-hang") != null) {
        return; // never answers: only a closed connection ends it
      }
      long delay = ctx.request().getHeader("x-slow") != null ? SLOW_MS : 1;
      JsonObject echo = new JsonObject().put("body_bytes", ctx.body().length()).put("in_flight", inFlight.get());
      vertx.setTimer(delay, t -> ctx.json(echo));
    });
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    web = WebClient.create(vertx);
    return server.actualPort();
  }

  private Future<HttpResponse<Buffer>> post(int port, boolean slow) {
    var request = web.post(port, "127.0.0.1", "/v1/chat/completions");
    if (slow) {
      request.putHeader("x-slow", "1");
    }
    return request.sendJsonObject(new JsonObject().put("model", "gpt-x").put("padding", "x".repeat(20_000)));
  }

  @Test
  void maxInFlightRefusesTheThirdOfThreeConcurrentRequestsThenRecovers() {
    int port = serve(new LimitsConfig(2, 0), RateLimiter.unlimited());

    List<Future<HttpResponse<Buffer>>> concurrent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      concurrent.add(post(port, true));
    }
    Future.join(concurrent).await();

    List<Integer> statuses = concurrent.stream().map(f -> f.result().statusCode()).sorted().toList();
    assertThat(statuses).containsExactly(200, 200, 503);
    HttpResponse<Buffer> busy = concurrent.stream().map(Future::result).filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
    assertThat(busy.getHeader("Retry-After")).isEqualTo("1");
    JsonObject error = busy.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("server_overloaded");
    assertThat(error.getString("type")).isEqualTo("overloaded_error");
    assertThat(error.getString("message")).isEqualTo("Server busy: too many concurrent requests; retry shortly");
    // the admitted ones saw their whole body, though admission ran before the body handler
    concurrent.stream().map(Future::result).filter(r -> r.statusCode() == 200)
      .forEach(r -> assertThat(r.bodyAsJsonObject().getInteger("body_bytes")).isGreaterThan(20_000));

    await().atMost(5, TimeUnit.SECONDS).until(() -> inFlight.get() == 0);
    HttpResponse<Buffer> after = post(port, true).await();
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.bodyAsJsonObject().getInteger("in_flight")).isEqualTo(1);
  }

  @Test
  void aClosedConnectionGivesItsSlotBack() {
    int port = serve(new LimitsConfig(1, 0), RateLimiter.unlimited());
    HttpClientAgent client = vertx.createHttpClient();
    HttpClientRequest hanging = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
      .setURI("/v1/chat/completions").putHeader("x-hang", "1").putHeader("content-type", "application/json")).await();
    hanging.send(Buffer.buffer("{}"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> inFlight.get() == 1);
    assertThat(post(port, false).await().statusCode()).as("the only slot is taken").isEqualTo(503);

    hanging.connection().close();

    await().atMost(5, TimeUnit.SECONDS).until(() -> inFlight.get() == 0);
    assertThat(post(port, false).await().statusCode()).isEqualTo(200);
  }

  @Test
  void rateLimitAnswers429WithRetryAfterAndTakesNoSlot() {
    int port = serve(new LimitsConfig(1, 2), new LocalRateLimiter(2, () -> T0, 100));

    assertThat(post(port, false).await().statusCode()).isEqualTo(200);
    assertThat(post(port, false).await().statusCode()).isEqualTo(200);
    HttpResponse<Buffer> limited = post(port, false).await();

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("Retry-After")).isEqualTo("45");
    JsonObject error = limited.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(error.getString("type")).isEqualTo("rate_limit_error");
    assertThat(error.getString("message")).isEqualTo("Rate limit exceeded: 2 requests per minute; retry after 45 s");
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void anAsynchronousDecisionStillHandsTheWholeBodyOn() {
    // a limiter that answers later, like the cluster-wide one
    RateLimiter late = caller -> {
      Promise<RateLimiter.Decision> decided = Promise.promise();
      vertx.setTimer(100, t -> decided.complete(RateLimiter.Decision.allow(5)));
      return decided.future();
    };
    int port = serve(new LimitsConfig(0, 10), late);

    HttpResponse<Buffer> response = post(port, false).await();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("body_bytes")).isGreaterThan(20_000);
  }

  @Test
  void aFailedLimiterAdmits() {
    int port = serve(new LimitsConfig(0, 10), caller -> Future.failedFuture(new IllegalStateException("map down")));
    assertThat(post(port, false).await().statusCode()).isEqualTo(200);
  }

  @Test
  void zeroLimitsAdmitEverything() {
    int port = serve(LimitsConfig.unlimited(), new LocalRateLimiter(1, () -> T0, 10));
    for (int i = 0; i < 5; i++) {
      assertThat(post(port, false).await().statusCode()).isEqualTo(200);
    }
    assertThat(inFlight).hasValue(0);
  }

  /** A body of {@code bytes} (about), sent slowly answered when {@code slow}. */
  private Future<HttpResponse<Buffer>> postLarge(int port, int bytes, boolean slow) {
    var request = web.post(port, "127.0.0.1", "/v1/chat/completions");
    if (slow) {
      request.putHeader("x-slow", "1");
    }
    return request.sendJsonObject(new JsonObject().put("model", "gpt-x").put("padding", "x".repeat(bytes)));
  }

  @Test
  void aLargeBodyWaitsForTheOneAheadOfItThenGoesThrough() {
    // room for one 1.5 MB body, not two
    int port = serve(LimitsConfig.unlimited(), RateLimiter.unlimited(), new BodyBudget(2_000_000, WAIT_MS));

    Future<HttpResponse<Buffer>> first = postLarge(port, 1_500_000, true);
    await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.held() > 1_500_000);
    Future<HttpResponse<Buffer>> second = postLarge(port, 1_500_000, false);
    // small bodies are not charged and do not queue behind large ones
    assertThat(post(port, false).await().statusCode()).isEqualTo(200);
    assertThat(second.isComplete()).as("the second large body waits for the first").isFalse();

    assertThat(first.await().statusCode()).isEqualTo(200);
    assertThat(second.await().statusCode()).isEqualTo(200);
    assertThat(second.result().bodyAsJsonObject().getInteger("body_bytes")).isGreaterThan(1_500_000);
    await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.held() == 0);
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void aLargeBodyThatWaitsTooLongIsRefusedWithRetryAfter() {
    int port = serve(LimitsConfig.unlimited(), RateLimiter.unlimited(), new BodyBudget(2_000_000, WAIT_MS));
    HttpClientAgent client = vertx.createHttpClient();
    HttpClientRequest hanging = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
      .setPort(port).setURI("/v1/chat/completions").putHeader("x-hang", "1")
      .putHeader("content-type", "application/json")).await();
    hanging.send(Buffer.buffer(new JsonObject().put("padding", "z".repeat(1_500_000)).encode()));
    await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.held() > 1_500_000);

    long started = System.nanoTime();
    HttpResponse<Buffer> refused = postLarge(port, 1_500_000, false).await();

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(WAIT_MS);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("server_overloaded");
    assertThat(error.getString("message")).startsWith("Server busy: other large request bodies hold the memory");

    hanging.connection().close();
    await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.held() == 0);
    assertThat(postLarge(port, 1_500_000, false).await().statusCode()).isEqualTo(200);
  }

  @Test
  void aLargeBodyAloneIsAdmittedWhateverItsSize() {
    int port = serve(LimitsConfig.unlimited(), RateLimiter.unlimited(), new BodyBudget(1_000, WAIT_MS));

    HttpResponse<Buffer> alone = postLarge(port, 1_500_000, false).await();

    assertThat(alone.statusCode()).isEqualTo(200);
    await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.held() == 0);
  }

  @Test
  void aLargeChunkedBodyIsChargedOnceRead() {
    int port = serve(LimitsConfig.unlimited(), RateLimiter.unlimited(), new BodyBudget(2_000_000, WAIT_MS));
    Future<HttpResponse<Buffer>> holding = postLarge(port, 1_500_000, true);
    await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.held() > 1_500_000);

    HttpClientAgent client = vertx.createHttpClient();
    long sent = System.nanoTime();
    Future<HttpClientResponse> chunked = client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(port).setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
      .compose(request -> {
        request.setChunked(true);
        request.write("{\"model\":\"gpt-x\",\"padding\":\"");
        request.write("y".repeat(1_500_000));
        return request.send(Buffer.buffer("\"}"));
      });

    assertThat(holding.await().statusCode()).isEqualTo(200);
    assertThat(chunked.await().statusCode()).isEqualTo(200);
    // answered in a millisecond once admitted: it took as long because it waited for the slow one
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).as("the chunked body waited for the one held")
      .isGreaterThanOrEqualTo(SLOW_MS / 2);
    await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.held() == 0);
  }
}
