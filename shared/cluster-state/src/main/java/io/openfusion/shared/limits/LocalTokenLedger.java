package io.openfusion.shared.limits;

import io.vertx.core.Future;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The single-node ledger. Callers with a daily budget are kept for as long as the process runs (there are
 * as many as the config names); the others only have a minute window and are bounded to
 * {@link #MAX_CALLERS}, least recently seen forgotten first. Shared by every router instance of a node;
 * each call holds a monitor for a few array operations only, so it never blocks an event loop.
 */
public final class LocalTokenLedger implements TokenLedger {

  /** The most callers without a budget tracked at once. */
  public static final int MAX_CALLERS = 10_000;

  private final LongSupplier clock;
  private final Map<String, long[]> budgeted = new HashMap<>();
  private final Map<String, long[]> others;

  public LocalTokenLedger() {
    this(System::currentTimeMillis, MAX_CALLERS);
  }

  /** For tests: an explicit clock (epoch milliseconds) and bound. */
  public LocalTokenLedger(LongSupplier clock, int maxCallers) {
    if (maxCallers <= 0) {
      throw new IllegalArgumentException("maxCallers must be positive, got " + maxCallers);
    }
    this.clock = clock;
    this.others = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
        return size() > maxCallers;
      }
    };
  }

  @Override
  public Future<Reservation> reserve(String caller, TokenLimits limits, TokenCharge worstCase) {
    if (!limits.any()) {
      return Future.succeededFuture(Reservation.unaccounted(caller, limits, worstCase));
    }
    long now = clock.getAsLong();
    long minute = Windows.epochMinute(now);
    long day = TokenTally.epochDay(now);
    long[] verdict;
    synchronized (this) {
      Map<String, long[]> map = limits.hasDailyBudget() ? budgeted : others;
      long[] state = TokenTally.current(map.get(caller), minute, day);
      verdict = TokenTally.reserve(state, limits.tokensPerMinute(), limits.tokensPerDay(), limits.nanoUsdPerDay(), worstCase);
      map.put(caller, state);
    }
    return Future.succeededFuture(new Reservation(caller, limits, minute, day, worstCase,
      TokenTally.refusal(verdict, limits, worstCase, now), true));
  }

  @Override
  public Future<Void> settle(Reservation reservation, TokenCharge spent) {
    if (reservation.accounted() && reservation.admitted()) {
      long now = clock.getAsLong();
      synchronized (this) {
        Map<String, long[]> map = reservation.limits().hasDailyBudget() ? budgeted : others;
        long[] state = TokenTally.current(map.get(reservation.caller()), Windows.epochMinute(now), TokenTally.epochDay(now));
        TokenTally.settle(state, reservation.minute(), reservation.day(), reservation.reserved(), spent);
        map.put(reservation.caller(), state);
      }
    }
    return Future.succeededFuture();
  }

  /** Tokens {@code caller} has in the current minute and day, and nano-dollars today (for tests). */
  public synchronized long[] usage(String caller) {
    long now = clock.getAsLong();
    long[] stored = budgeted.containsKey(caller) ? budgeted.get(caller) : others.get(caller);
    long[] state = TokenTally.current(stored, Windows.epochMinute(now), TokenTally.epochDay(now));
    return new long[] {state[TokenTally.MINUTE_TOKENS], state[TokenTally.DAY_TOKENS], state[TokenTally.DAY_NANO_USD]};
  }
}
