package io.openfusion.shared.upstream.pricing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.shared.testkit.MutableClock;
import io.openfusion.shared.upstream.pricing.Pricing.Price;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class PricingTest {

  static final String LIST_V1 = """
    {"data": [{"id": "m/one", "pricing": {"prompt": "0.000001", "completion": "0.000002"}}]}""";
  static final String LIST_V2 = """
    {"data": [{"id": "m/one", "pricing": {"prompt": "0.000005", "completion": "0.000006"}}]}""";

  private static WireMockServer wm;

  private final MutableClock clock = new MutableClock();
  private Vertx vertx;
  private Pricing pricing;
  private String base;

  @BeforeAll
  static void startWireMock() {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
  }

  @AfterAll
  static void stopWireMock() {
    wm.stop();
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    wm.resetAll();
    this.vertx = vertx;
    pricing = new Pricing(vertx, clock);
    base = "http://127.0.0.1:" + wm.port() + "/api/v1";
  }

  @AfterEach
  void tearDown() throws Exception {
    pricing.close().await(5, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static void serve(String body) {
    wm.stubFor(get(urlEqualTo("/api/v1/models")).willReturn(okJson(body)));
  }

  private static int fetches() {
    return wm.countRequestsMatching(getRequestedFor(urlEqualTo("/api/v1/models")).build()).getCount();
  }

  @Test
  void readsTheListWithoutSendingAKey() throws Exception {
    serve(LIST_V1);

    Map<String, Price> prices = await(pricing.prices(base + "/"));

    assertThat(prices).containsOnly(Map.entry("m/one", new Price(0.000001, 0.000002)));
    wm.verify(1, getRequestedFor(urlEqualTo("/api/v1/models")).withHeader("Authorization", absent()));
  }

  @Test
  void keepsAListForAnHour() throws Exception {
    serve(LIST_V1);
    await(pricing.prices(base));
    serve(LIST_V2);

    clock.advance(Duration.ofMinutes(59));
    assertThat(await(pricing.prices(base)).get("m/one")).isEqualTo(new Price(0.000001, 0.000002));
    assertThat(fetches()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    assertThat(await(pricing.prices(base)).get("m/one")).isEqualTo(new Price(0.000005, 0.000006));
    assertThat(fetches()).isEqualTo(2);
  }

  @Test
  void usesTheStaleListWhenARefreshFails() throws Exception {
    serve(LIST_V1);
    Map<String, Price> first = await(pricing.prices(base));
    wm.stubFor(get(urlEqualTo("/api/v1/models")).willReturn(aResponse().withStatus(500).withBody("down")));

    clock.advance(Duration.ofMinutes(61));
    assertThat(await(pricing.prices(base))).isEqualTo(first);
    assertThat(fetches()).isEqualTo(2);

    // A failed URL is not asked again on every estimate...
    clock.advance(Duration.ofSeconds(30));
    assertThat(await(pricing.prices(base))).isEqualTo(first);
    assertThat(fetches()).isEqualTo(2);

    // ...but is retried a minute later, and a good answer replaces the stale list.
    serve(LIST_V2);
    clock.advance(Duration.ofSeconds(31));
    assertThat(await(pricing.prices(base)).get("m/one")).isEqualTo(new Price(0.000005, 0.000006));
    assertThat(fetches()).isEqualTo(3);
  }

  @Test
  void isEmptyWhenThereIsNothingToFallBackOn() throws Exception {
    wm.stubFor(get(urlEqualTo("/api/v1/models")).willReturn(aResponse().withStatus(401)));
    wm.stubFor(get(urlEqualTo("/html/models")).willReturn(aResponse().withStatus(200).withBody("<html>")));

    assertThat(await(pricing.prices(base))).isEmpty();
    assertThat(await(pricing.prices("http://127.0.0.1:" + wm.port() + "/html"))).isEmpty();
    assertThat(await(pricing.prices("http://127.0.0.1:" + closedPort() + "/v1"))).isEmpty();
    assertThat(await(pricing.prices("not a url"))).isEmpty();
    assertThat(await(pricing.prices(null))).isEmpty();
  }

  @Test
  void concurrentCallersShareOneFetch() throws Exception {
    wm.stubFor(get(urlEqualTo("/api/v1/models")).willReturn(okJson(LIST_V1).withFixedDelay(400)));

    List<Future<Map<String, Price>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(pricing.prices(base));
    }
    await(Future.all(calls));

    assertThat(calls).allSatisfy(f -> assertThat(f.result()).containsKey("m/one"));
    assertThat(fetches()).isEqualTo(1);
  }

  @Test
  void callersOnEventLoopsGetTheirAnswerOnTheirOwnContext() throws Exception {
    wm.stubFor(get(urlEqualTo("/api/v1/models")).willReturn(okJson(LIST_V1).withFixedDelay(300)));
    List<Future<Boolean>> onOwnContext = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Context context = vertx.getOrCreateContext();
      Promise<Boolean> seen = Promise.promise();
      context.runOnContext(v -> pricing.prices(base)
        .onComplete(ar -> seen.complete(ar.succeeded() && Vertx.currentContext() == context)));
      onOwnContext.add(seen.future());
    }

    await(Future.all(onOwnContext));

    assertThat(onOwnContext).allSatisfy(f -> assertThat(f.result()).isTrue());
    assertThat(fetches()).isEqualTo(1);
  }

  @Test
  void givesUpAfterTheTimeout() throws Exception {
    Pricing impatient = new Pricing(vertx, clock, Pricing.DEFAULT_MAX_BODY_BYTES, 300);
    // Its own path: the abandoned request finishes on WireMock's side after this test.
    wm.stubFor(get(urlEqualTo("/slow/models")).willReturn(okJson(LIST_V1).withFixedDelay(3_000)));
    try {
      long start = System.nanoTime();
      assertThat(await(impatient.prices("http://127.0.0.1:" + wm.port() + "/slow"))).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    } finally {
      await(impatient.close());
    }
  }

  @Test
  void refusesAnOversizedList() throws Exception {
    Pricing small = new Pricing(vertx, clock, 64, Pricing.DEFAULT_TIMEOUT_MS);
    String big = "{\"data\": [" + ",{}".repeat(100).substring(1) + "]}";
    wm.stubFor(get(urlEqualTo("/big/models")).willReturn(okJson(big)));
    wm.stubFor(get(urlEqualTo("/chunked/models")).willReturn(okJson(big).withChunkedDribbleDelay(5, 100)));
    try {
      assertThat(await(small.prices("http://127.0.0.1:" + wm.port() + "/big"))).isEmpty();
      assertThat(await(small.prices("http://127.0.0.1:" + wm.port() + "/chunked"))).isEmpty();
    } finally {
      await(small.close());
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
