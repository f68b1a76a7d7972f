package io.openfusion.shared.limits;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import io.openfusion.shared.cluster.FailOpen;
import io.openfusion.shared.cluster.SharedMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The cluster-wide ledger: one entry per caller in the IMap {@value #MAP}, keyed {@code tok:<caller>},
 * holding the caller's current minute and day windows. {@link Reserve} and {@link Settle} run on the
 * key's owner member through {@code submitToKey}, which is atomic per key, so concurrent requests on
 * any nodes never overrun a limit together. Every write sets a TTL: the end of the UTC day (plus slack)
 * for callers with a daily budget, the end of the minute otherwise, so entries expire by themselves.
 *
 * <p>AP like every IMap: during a split brain each side accounts on its own, and after the merge one
 * side's entry wins (Hazelcast's default merge policy), so a caller may spend up to its limit on each
 * side while partitioned. When the map does not answer within {@link SharedMap#TIMEOUT_MS}, the request is
 * admitted unaccounted (fails open, like the request rate limit: {@link FailOpen}).
 */
public final class HazelcastTokenLedger implements TokenLedger {

  public static final String MAP = "openfusion.tokens";
  /** Kept after the window's end, so a late settlement never recreates a fresh window's entry early. */
  static final long TTL_SLACK_SECONDS = 5;

  private final FailOpen failOpen = new FailOpen("openfusion.limits", "token ledger entry");
  private final SharedMap<String, long[]> entries;
  private final LongSupplier clock;

  public HazelcastTokenLedger(Vertx vertx, HazelcastInstance hazelcast) {
    this(vertx, hazelcast, System::currentTimeMillis);
  }

  HazelcastTokenLedger(Vertx vertx, HazelcastInstance hazelcast, LongSupplier clock) {
    this.entries = SharedMap.of(vertx, hazelcast, MAP);
    this.clock = clock;
  }

  static String key(String caller) {
    return "tok:" + caller;
  }

  @Override
  public Future<Reservation> reserve(String caller, TokenLimits limits, TokenCharge worstCase) {
    if (!limits.any()) {
      return Future.succeededFuture(Reservation.unaccounted(caller, limits, worstCase));
    }
    long now = clock.getAsLong();
    Reserve reserve = new Reserve(now, ttlSeconds(limits, now), limits.tokensPerMinute(), limits.tokensPerDay(),
      limits.nanoUsdPerDay(), worstCase.tokens(), worstCase.nanoUsd());
    return entries.submit(key(caller), reserve)
      .map(verdict -> new Reservation(caller, limits, Windows.epochMinute(now), TokenTally.epochDay(now), worstCase,
        TokenTally.refusal(verdict, limits, worstCase, now), true))
      .recover(failure -> failOpen.recover(key(caller), failure, "admitting the request unaccounted",
        Reservation.unaccounted(caller, limits, worstCase)));
  }

  @Override
  public Future<Void> settle(Reservation reservation, TokenCharge spent) {
    if (!reservation.accounted() || !reservation.admitted()) {
      return Future.succeededFuture();
    }
    long now = clock.getAsLong();
    TokenCharge reserved = reservation.reserved();
    Settle settle = new Settle(now, ttlSeconds(reservation.limits(), now), reservation.minute(), reservation.day(),
      reserved.tokens(), reserved.nanoUsd(), spent.tokens(), spent.nanoUsd());
    return entries.submit(key(reservation.caller()), settle).<Void>mapEmpty()
      .recover(failure -> failOpen.recover(key(reservation.caller()), failure, "settlement lost", null));
  }

  /** Until the longest window the caller has ends, plus slack. */
  static long ttlSeconds(TokenLimits limits, long now) {
    return (limits.hasDailyBudget() ? TokenTally.secondsLeftToday(now) : Windows.secondsLeft(now)) + TTL_SLACK_SECONDS;
  }

  /**
   * Runs on the key's owner member (and, with the same arguments, on its backups): adds the worst case
   * when every limit has room. Returns the {@link TokenTally#reserve} verdict; the entry is written only
   * when admitted. Every member must have this class on its classpath.
   */
  public static final class Reserve implements EntryProcessor<String, long[], long[]> {

    private static final long serialVersionUID = 1L;

    private final long now;
    private final long ttlSeconds;
    private final long tokensPerMinute;
    private final long tokensPerDay;
    private final long nanoUsdPerDay;
    private final long tokens;
    private final long nanoUsd;

    public Reserve(long now, long ttlSeconds, long tokensPerMinute, long tokensPerDay, long nanoUsdPerDay, long tokens,
                   long nanoUsd) {
      this.now = now;
      this.ttlSeconds = ttlSeconds;
      this.tokensPerMinute = tokensPerMinute;
      this.tokensPerDay = tokensPerDay;
      this.nanoUsdPerDay = nanoUsdPerDay;
      this.tokens = tokens;
      this.nanoUsd = nanoUsd;
    }

    @Override
    public long[] process(Map.Entry<String, long[]> entry) {
      long[] state = TokenTally.current(entry.getValue(), Windows.epochMinute(now), TokenTally.epochDay(now));
      long[] verdict = TokenTally.reserve(state, tokensPerMinute, tokensPerDay, nanoUsdPerDay, new TokenCharge(tokens, nanoUsd));
      if (verdict[0] == TokenTally.ADMITTED) {
        ((ExtendedMapEntry<String, long[]>) entry).setValue(state, ttlSeconds, TimeUnit.SECONDS);
      }
      return verdict;
    }
  }

  /** Runs on the key's owner member: replaces a reservation by what was spent ({@link TokenTally#settle}). */
  public static final class Settle implements EntryProcessor<String, long[], Boolean> {

    private static final long serialVersionUID = 1L;

    private final long now;
    private final long ttlSeconds;
    private final long minute;
    private final long day;
    private final long reservedTokens;
    private final long reservedNanoUsd;
    private final long spentTokens;
    private final long spentNanoUsd;

    public Settle(long now, long ttlSeconds, long minute, long day, long reservedTokens, long reservedNanoUsd,
                  long spentTokens, long spentNanoUsd) {
      this.now = now;
      this.ttlSeconds = ttlSeconds;
      this.minute = minute;
      this.day = day;
      this.reservedTokens = reservedTokens;
      this.reservedNanoUsd = reservedNanoUsd;
      this.spentTokens = spentTokens;
      this.spentNanoUsd = spentNanoUsd;
    }

    @Override
    public Boolean process(Map.Entry<String, long[]> entry) {
      long[] state = TokenTally.current(entry.getValue(), Windows.epochMinute(now), TokenTally.epochDay(now));
      TokenTally.settle(state, minute, day, new TokenCharge(reservedTokens, reservedNanoUsd),
        new TokenCharge(spentTokens, spentNanoUsd));
      ((ExtendedMapEntry<String, long[]>) entry).setValue(state, ttlSeconds, TimeUnit.SECONDS);
      return Boolean.TRUE;
    }
  }
}
