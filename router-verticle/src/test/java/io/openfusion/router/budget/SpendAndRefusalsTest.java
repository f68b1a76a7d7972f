package io.openfusion.router.budget;

import io.openfusion.router.RunResult;

import io.openfusion.router.estimate.WorstCase.Ceiling;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.limits.TokenCharge;
import io.openfusion.shared.limits.TokenLedger.Limit;
import io.openfusion.shared.limits.TokenLedger.Refusal;
import io.openfusion.shared.limits.TokenLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpendAndRefusalsTest {

  /** 100 prompt tokens at $1/M and 900 completion tokens at $2/M reserved. */
  private static final Ceiling CEILING = new Ceiling(100, 900, 0.0019, 1e-6, 2e-6);

  private static JsonObject usage(int prompt, int completion) {
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
      .put("total_tokens", prompt + completion);
  }

  @Test
  void reportedUsageIsPricedByItsCostElseByTheReservedRates() {
    RunResult priced = RunResult.answered(new JsonObject(), usage(10, 20).put("cost", 0.5));
    assertThat(Spend.of(Future.succeededFuture(priced), false, CEILING, null)).isEqualTo(TokenCharge.spent(30, 0.5));

    RunResult streamed = RunResult.streamed(usage(10, 20), false);
    assertThat(Spend.of(Future.succeededFuture(streamed), false, CEILING, null))
      .isEqualTo(TokenCharge.spent(30, 10 * 1e-6 + 20 * 2e-6));
  }

  @Test
  void theProvidersTotalIsChargedWhenItCountsHiddenReasoning() {
    // a fused answer whose judge reported reasoning tokens in its total only
    JsonObject judge = new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 1).put("total_tokens", 303);
    JsonObject panel = new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 5).put("total_tokens", 25);
    RunResult fused = RunResult.streamed(io.openfusion.shared.chat.Usages.add(panel, judge), false);

    assertThat(Spend.of(Future.succeededFuture(fused), false, CEILING, null).tokens()).isEqualTo(328);
  }

  @Test
  void aTappedUsageWinsOverTheReply() {
    RunResult relayed = RunResult.streamed(null, false);
    assertThat(Spend.of(Future.succeededFuture(relayed), false, CEILING, usage(4, 5)).tokens()).isEqualTo(9);
  }

  @Test
  void aCachedAnswerCostsNothing() {
    RunResult replayed = RunResult.streamed(usage(10, 20), false).asCached();
    assertThat(Spend.of(Future.succeededFuture(replayed), false, CEILING, null)).isEqualTo(TokenCharge.NONE);
  }

  @Test
  void withoutUsageARefusalCostsNothingAndAnythingElseCostsThePrompts() {
    Future<RunResult> refused = Future.failedFuture(ApiError.of(ErrorCode.MAX_TOKENS_EXCEEDS_LIMIT, "too many"));
    assertThat(Spend.of(refused, false, CEILING, null)).isEqualTo(TokenCharge.NONE);

    Future<RunResult> broken = Future.failedFuture(ApiError.of(ErrorCode.PANEL_ERROR, "all failed"));
    assertThat(Spend.of(broken, false, CEILING, null)).isEqualTo(TokenCharge.spent(100, 100 * 1e-6));
    assertThat(Spend.of(refused, true, CEILING, null)).as("cancelled").isEqualTo(TokenCharge.spent(100, 100 * 1e-6));
  }

  @Test
  void refusalsNameTheLimitTheBudgetAndWhenToComeBack() {
    ApiError perMinute = Refusals.error(new Refusal(Limit.TOKENS_PER_MINUTE, 6_000, 3_000, 5_120, 17),
      new TokenLimits(6_000, 0, 0, null));
    assertThat(perMinute.code()).isEqualTo("token_rate_limit_exceeded");
    assertThat(perMinute.status()).isEqualTo(429);
    assertThat(perMinute.retryAfterSeconds()).isEqualTo(17);
    assertThat(perMinute.getMessage()).isEqualTo("Token rate limit exceeded: this request may use up to 5,120 tokens and "
      + "3,000 of your 6,000 tokens per minute are in use; retry after 17 s, or lower max_tokens");

    ApiError dollars = Refusals.error(new Refusal(Limit.USD_PER_DAY, 5_000_000_000L, 4_990_000_000L, 20_000_000L, 3_700),
      new TokenLimits(0, 0, 5_000_000_000L, "team-a"));
    assertThat(dollars.code()).isEqualTo("budget_exceeded");
    assertThat(dollars.type()).isEqualTo("insufficient_quota");
    assertThat(dollars.retryAfterSeconds()).isEqualTo(3_700);
    assertThat(dollars.getMessage()).isEqualTo("Daily budget 'team-a' exceeded: $4.9900 of $5.0000 spent today (UTC) and "
      + "this request may need up to $0.0200; it resets in 1 h 2 min, or lower max_tokens");

    ApiError tooLarge = Refusals.error(new Refusal(Limit.TOKENS_PER_DAY, 1_000, 0, 5_124, 0),
      new TokenLimits(0, 1_000, 0, "team-a"));
    assertThat(tooLarge.retryAfterSeconds()).isZero();
    assertThat(tooLarge.getMessage()).startsWith("This request may cost up to 5,124 tokens, more than the daily budget 'team-a'");
  }
}
