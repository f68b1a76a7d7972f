package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.BudgetConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.identity.CallerIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily token budgets through a real node and WireMock upstreams: each request reserves its worst
 * case, is refused with 429 {@code budget_exceeded} when the budget has no room for it, and gives back
 * what it did not use when it ends, so a later request fits again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BudgetTest {

  private static final String PLAIN = "gw-plain";
  private static final String STREAMED = "gw-streamed";
  private static final String FUSED = "gw-fused";
  private static final String TOO_SMALL = "gw-too-small";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .stubs(upstream -> {
      upstream.stubFor(Upstreams.call("gpt-x").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
          .matchingJsonPath("$.stream", com.github.tomakehurst.wiremock.client.WireMock.equalTo("true")))
        .willReturn(Upstreams.streamed("gpt-x", List.of("hel", "lo"), 3, 2)));
      upstream.stubFor(Upstreams.call("gpt-x").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
          .matchingJsonPath("$.stream", com.github.tomakehurst.wiremock.client.WireMock.equalTo("false")))
        .willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));
      upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "answer one", 5, 5)));
      upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "answer two", 5, 5)));
      upstream.stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("fused"), 20, 3)));
    })
    .node(BudgetTest::recipe)
    .build();

  private static OpenFusionConfig recipe(WireMockServer upstream) {
    OpenFusionConfig recipe = Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m");
    return recipe.toBuilder()
      .limits(recipe.limits().withBudgets(List.of(
        budget("plain", PLAIN, 1_000), budget("streamed", STREAMED, 1_000), budget("fused", FUSED, 8_000),
        budget("too-small", TOO_SMALL, 1_000))))
      .build()
      .withGatewayKeys(List.of(PLAIN, STREAMED, FUSED, TOO_SMALL));
  }

  private static BudgetConfig budget(String name, String key, long tokensPerDay) {
    return new BudgetConfig(name, CallerIds.ofGatewayKey(key), tokensPerDay, 0);
  }

  private static HttpResponse<Buffer> chat(String key, JsonObject body) {
    return openfusion.client().post("/v1/chat/completions", body, "Authorization", "Bearer " + key);
  }

  private static JsonObject passThrough(boolean stream, int maxTokens) {
    return Client.chat("gpt-x", "hi", stream).put("max_tokens", maxTokens);
  }

  private static void assertBudgetExceeded(HttpResponse<Buffer> response, String budget) {
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("budget_exceeded");
    assertThat(error.getString("type")).isEqualTo("insufficient_quota");
    assertThat(error.getString("message")).contains("'" + budget + "'").contains("lower max_tokens");
  }

  @Test
  void aPassThroughOverTheBudgetIsRefusedAndWhatWasNotUsedIsGivenBack() {
    // "hi" is one prompt token: 1 + 900 reserved, 4 used (the upstream's usage)
    assertThat(chat(PLAIN, passThrough(false, 900)).statusCode()).isEqualTo(200);
    // 4 used + 1 + 990 reserved fits only because the first request gave back its unused 897
    assertThat(chat(PLAIN, passThrough(false, 990)).statusCode()).isEqualTo(200);
    // 8 used + 1 + 995 does not
    HttpResponse<Buffer> refused = chat(PLAIN, passThrough(false, 995));
    assertBudgetExceeded(refused, "plain");
    long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
    assertThat(retryAfter).as("seconds until midnight UTC").isBetween(1L, 86_400L);
    // a small request still fits
    assertThat(chat(PLAIN, passThrough(false, 10)).statusCode()).isEqualTo(200);
  }

  @Test
  void aStreamedRequestOverTheBudgetGetsAPlainHttp429BeforeAnyFrame() {
    HttpResponse<Buffer> first = chat(STREAMED, passThrough(true, 900));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsString()).contains("data: [DONE]");
    // 5 used (the stream's usage chunk) + 1 + 990 fits once the stream gave back what it did not use
    assertThat(chat(STREAMED, passThrough(true, 990)).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused = chat(STREAMED, passThrough(true, 995));
    assertBudgetExceeded(refused, "streamed");
    assertThat(refused.bodyAsString()).doesNotContain("data:");
    assertThat(refused.getHeader("Retry-After")).isNotNull();
  }

  @Test
  void aFusionReservesEveryCallAtItsCeilingAndSettlesOnItsUsage() {
    // two members and a judge at the default 1,024-token ceilings: about 5,100 tokens reserved, 43 used
    JsonObject fusion = Client.chat("openfusion", "compare two things", false);
    assertThat(chat(FUSED, fusion).statusCode()).isEqualTo(200);
    assertThat(chat(FUSED, fusion.copy().put("stream", true)).statusCode()).isEqualTo(200);
    // without the releases, the second reservation would not have fitted in 8,000 and this one would not either
    HttpResponse<Buffer> third = chat(FUSED, fusion);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(third.bodyAsJsonObject().getJsonObject("usage").getInteger("total_tokens")).isEqualTo(43);
  }

  @Test
  void aRequestLargerThanTheWholeBudgetSaysSoWithoutARetryHint() {
    HttpResponse<Buffer> refused = chat(TOO_SMALL, Client.chat("openfusion", "compare two things", false));
    assertBudgetExceeded(refused, "too-small");
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("message")).startsWith("This request may cost up to");
    assertThat(refused.getHeader("Retry-After")).isNull();
    // nothing was reserved, so a pass-through that fits is still admitted
    assertThat(chat(TOO_SMALL, passThrough(false, 900)).statusCode()).isEqualTo(200);
  }
}
