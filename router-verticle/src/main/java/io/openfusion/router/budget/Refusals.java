package io.openfusion.router.budget;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.limits.TokenCharge;
import io.openfusion.shared.limits.TokenLedger.Limit;
import io.openfusion.shared.limits.TokenLedger.Refusal;
import io.openfusion.shared.limits.TokenLimits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The 429 a refused reservation becomes: {@code token_rate_limit_exceeded} for
 * {@code limits.tokens_per_minute}, {@code budget_exceeded} for a daily budget, with
 * {@code Retry-After} when waiting helps and a message that says what to do. Budgets are named by their
 * name only, never by their key.
 */
final class Refusals {

  private Refusals() {
  }

  static ApiError error(Refusal refusal, TokenLimits limits) {
    ApiError error = refusal.limit() == Limit.TOKENS_PER_MINUTE ? perMinute(refusal) : daily(refusal, limits.budget());
    return refusal.tooLarge() ? error : error.withRetryAfter(refusal.retryAfterSeconds());
  }

  private static ApiError perMinute(Refusal r) {
    if (r.tooLarge()) {
      return ApiError.of(ErrorCode.TOKEN_RATE_LIMIT_EXCEEDED, "This request may use up to " + tokens(r.requested())
        + " tokens (every call at its token ceiling), more than the " + tokens(r.allowed())
        + " tokens per minute this server allows a caller; lower max_tokens (or openfusion.max_tokens), use a smaller "
        + "panel, or ask the operator to raise limits.tokens_per_minute");
    }
    return ApiError.of(ErrorCode.TOKEN_RATE_LIMIT_EXCEEDED, "Token rate limit exceeded: this request may use up to "
      + tokens(r.requested()) + " tokens and " + tokens(r.used()) + " of your " + tokens(r.allowed())
      + " tokens per minute are in use; retry after " + r.retryAfterSeconds() + " s, or lower max_tokens");
  }

  private static ApiError daily(Refusal r, String budget) {
    boolean usd = r.limit() == Limit.USD_PER_DAY;
    String allowed = usd ? dollars(r.allowed()) : tokens(r.allowed()) + " tokens";
    if (r.tooLarge()) {
      return ApiError.of(ErrorCode.BUDGET_EXCEEDED, "This request may cost up to "
        + (usd ? dollars(r.requested()) : tokens(r.requested()) + " tokens") + ", more than the daily budget '" + budget
        + "' allows (" + allowed + " per day); lower max_tokens (or openfusion.max_tokens) or use a smaller panel");
    }
    String used = usd ? dollars(r.used()) + " of " + allowed + " spent" : tokens(r.used()) + " of " + allowed + " used";
    return ApiError.of(ErrorCode.BUDGET_EXCEEDED, "Daily budget '" + budget + "' exceeded: " + used
      + " today (UTC) and this request may need up to " + (usd ? dollars(r.requested()) : tokens(r.requested()) + " tokens")
      + "; it resets in " + duration(r.retryAfterSeconds()) + ", or lower max_tokens");
  }

  private static String tokens(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String dollars(long nanoUsd) {
    BigDecimal usd = BigDecimal.valueOf(nanoUsd / TokenCharge.NANOS_PER_USD).setScale(4, RoundingMode.HALF_UP);
    return "$" + usd.toPlainString();
  }

  private static String duration(long seconds) {
    long hours = seconds / 3600;
    long minutes = (seconds % 3600 + 59) / 60;
    if (minutes == 60) {
      hours++;
      minutes = 0;
    }
    return hours > 0 ? hours + " h " + minutes + " min" : Math.max(1, minutes) + " min";
  }
}
