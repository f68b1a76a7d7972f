package io.openfusion.shared.limits;

/**
 * The arithmetic of one caller's token windows, shared by the local and the cluster-wide ledger so both
 * decide alike. The state is a {@code long[]} (it crosses Hazelcast as-is, with no class of ours to
 * deserialize): the current epoch minute and its tokens, the current UTC day and its tokens and
 * nano-dollars. A window that has passed reads as empty.
 */
final class TokenTally {

  static final int MINUTE = 0;
  static final int MINUTE_TOKENS = 1;
  static final int DAY = 2;
  static final int DAY_TOKENS = 3;
  static final int DAY_NANO_USD = 4;
  private static final int SIZE = 5;

  static final long DAY_MS = 86_400_000L;

  /** {@link #reserve} verdict codes: admitted, or which limit refused and whether the request can ever fit. */
  static final long ADMITTED = 0;
  static final long TOO_LARGE = 10;

  private TokenTally() {
  }

  static long epochDay(long nowMs) {
    return Math.floorDiv(nowMs, DAY_MS);
  }

  /** Whole seconds until the UTC day holding {@code nowMs} ends, rounded up, at least 1. */
  static long secondsLeftToday(long nowMs) {
    long leftMs = (epochDay(nowMs) + 1) * DAY_MS - nowMs;
    return Math.max(1, (leftMs + 999) / 1000);
  }

  /** The stored state moved to {@code minute} and {@code day}: windows that have passed start from zero. */
  static long[] current(long[] stored, long minute, long day) {
    long[] state = new long[SIZE];
    state[MINUTE] = minute;
    state[DAY] = day;
    if (stored != null && stored.length == SIZE) {
      if (stored[MINUTE] == minute) {
        state[MINUTE_TOKENS] = stored[MINUTE_TOKENS];
      }
      if (stored[DAY] == day) {
        state[DAY_TOKENS] = stored[DAY_TOKENS];
        state[DAY_NANO_USD] = stored[DAY_NANO_USD];
      }
    }
    return state;
  }

  /**
   * Adds {@code charge} to the windows if every limit still has room for it.
   *
   * @return {@code {code, used}}: {@link #ADMITTED}, or the refusing {@link TokenLedger.Limit}'s ordinal + 1
   *     (plus {@link #TOO_LARGE} when the charge alone exceeds that limit), with what the window holds;
   *     {@code state} is updated only when admitted
   */
  static long[] reserve(long[] state, long tokensPerMinute, long tokensPerDay, long nanoUsdPerDay, TokenCharge charge) {
    long[][] checks = {
      {tokensPerMinute, state[MINUTE_TOKENS], charge.tokens()},
      {tokensPerDay, state[DAY_TOKENS], charge.tokens()},
      {nanoUsdPerDay, state[DAY_NANO_USD], charge.nanoUsd()},
    };
    // a request that can never fit is reported as such first: waiting would not help it
    for (int i = 0; i < checks.length; i++) {
      if (checks[i][0] > 0 && checks[i][2] > checks[i][0]) {
        return new long[] {TOO_LARGE + i + 1, checks[i][1]};
      }
    }
    for (int i = 0; i < checks.length; i++) {
      if (checks[i][0] > 0 && checks[i][1] + checks[i][2] > checks[i][0]) {
        return new long[] {i + 1, checks[i][1]};
      }
    }
    state[MINUTE_TOKENS] += charge.tokens();
    state[DAY_TOKENS] += charge.tokens();
    state[DAY_NANO_USD] += charge.nanoUsd();
    return new long[] {ADMITTED, 0};
  }

  /**
   * Replaces a reservation by what was spent. The difference goes back into the windows the reservation
   * was made in while they last; once one has passed, only an overrun (spent more than reserved) is added
   * to the current one, since a release would free room the old window's requests never took.
   */
  static void settle(long[] state, long reservedMinute, long reservedDay, TokenCharge reserved, TokenCharge spent) {
    long tokens = spent.tokens() - reserved.tokens();
    long nanoUsd = spent.nanoUsd() - reserved.nanoUsd();
    if (state[MINUTE] == reservedMinute || tokens > 0) {
      state[MINUTE_TOKENS] = Math.max(0, state[MINUTE_TOKENS] + tokens);
    }
    if (state[DAY] == reservedDay || tokens > 0) {
      state[DAY_TOKENS] = Math.max(0, state[DAY_TOKENS] + tokens);
    }
    if (state[DAY] == reservedDay || nanoUsd > 0) {
      state[DAY_NANO_USD] = Math.max(0, state[DAY_NANO_USD] + nanoUsd);
    }
  }

  /** The refusal a {@link TokenTally#reserve} verdict describes, or null when it admitted. */
  static TokenLedger.Refusal refusal(long[] verdict, TokenLimits limits, TokenCharge charge, long nowMs) {
    if (verdict == null || verdict[0] == ADMITTED) {
      return null;
    }
    boolean tooLarge = verdict[0] > TOO_LARGE;
    TokenLedger.Limit limit = TokenLedger.Limit.values()[(int) (tooLarge ? verdict[0] - TOO_LARGE : verdict[0]) - 1];
    long allowed = switch (limit) {
      case TOKENS_PER_MINUTE -> limits.tokensPerMinute();
      case TOKENS_PER_DAY -> limits.tokensPerDay();
      case USD_PER_DAY -> limits.nanoUsdPerDay();
    };
    long requested = limit == TokenLedger.Limit.USD_PER_DAY ? charge.nanoUsd() : charge.tokens();
    long retryAfter = tooLarge ? 0
      : limit == TokenLedger.Limit.TOKENS_PER_MINUTE ? Windows.secondsLeft(nowMs) : secondsLeftToday(nowMs);
    return new TokenLedger.Refusal(limit, allowed, verdict[1], requested, retryAfter);
  }
}
