package io.openfusion.shared.limits;

import io.openfusion.shared.limits.TokenLedger.Limit;
import io.openfusion.shared.limits.TokenLedger.Reservation;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTokenLedgerTest {

  /** 12:00:15 UTC on some day: 45 s left in the minute, 11 h 59 min 45 s left in the day. */
  private static final long DAY0 = 20_000L * TokenTally.DAY_MS;
  private static final long T0 = DAY0 + 12 * 3_600_000L + 15_000;

  private final AtomicLong now = new AtomicLong(T0);
  private final LocalTokenLedger ledger = new LocalTokenLedger(now::get, 100);

  private static final TokenLimits PER_MINUTE_1000 = new TokenLimits(1_000, 0, 0, null);

  private Reservation reserve(String caller, TokenLimits limits, long tokens, double usd) {
    return ledger.reserve(caller, limits, TokenCharge.reserve(tokens, usd)).result();
  }

  @Test
  void reservesUntilTheMinuteIsFullThenRefusesUntilItEnds() {
    assertThat(reserve("key:a", PER_MINUTE_1000, 600, 0).admitted()).isTrue();
    Reservation refused = reserve("key:a", PER_MINUTE_1000, 500, 0);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.refusal().limit()).isEqualTo(Limit.TOKENS_PER_MINUTE);
    assertThat(refused.refusal().used()).isEqualTo(600);
    assertThat(refused.refusal().requested()).isEqualTo(500);
    assertThat(refused.refusal().retryAfterSeconds()).isEqualTo(45);
    // a refusal adds nothing: what is left still fits
    assertThat(reserve("key:a", PER_MINUTE_1000, 400, 0).admitted()).isTrue();
    // other callers have their own window
    assertThat(reserve("key:b", PER_MINUTE_1000, 1_000, 0).admitted()).isTrue();

    now.set(T0 + 45_000);
    assertThat(reserve("key:a", PER_MINUTE_1000, 1_000, 0).admitted()).isTrue();
  }

  @Test
  void aRequestLargerThanTheLimitIsRefusedWithoutARetryHint() {
    Reservation refused = reserve("key:a", PER_MINUTE_1000, 1_001, 0);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.refusal().tooLarge()).isTrue();
    assertThat(refused.refusal().retryAfterSeconds()).isZero();
  }

  @Test
  void settlingReleasesWhatWasNotUsedAndChargesAnOverrun() {
    Reservation first = reserve("key:a", PER_MINUTE_1000, 900, 0);
    assertThat(reserve("key:a", PER_MINUTE_1000, 200, 0).admitted()).isFalse();

    ledger.settle(first, new TokenCharge(100, 0)).result();
    assertThat(ledger.usage("key:a")[0]).isEqualTo(100);
    Reservation second = reserve("key:a", PER_MINUTE_1000, 850, 0);
    assertThat(second.admitted()).isTrue();

    ledger.settle(second, new TokenCharge(880, 0)).result();
    assertThat(ledger.usage("key:a")[0]).isEqualTo(980);
    assertThat(reserve("key:a", PER_MINUTE_1000, 21, 0).admitted()).isFalse();
    assertThat(reserve("key:a", PER_MINUTE_1000, 20, 0).admitted()).isTrue();
  }

  @Test
  void settlingARefusedReservationChangesNothing() {
    reserve("key:a", PER_MINUTE_1000, 1_000, 0);
    Reservation refused = reserve("key:a", PER_MINUTE_1000, 10, 0);
    ledger.settle(refused, TokenCharge.NONE).result();
    assertThat(ledger.usage("key:a")[0]).isEqualTo(1_000);
  }

  @Test
  void aDailyBudgetOutlivesTheMinuteAndResetsAtMidnightUtc() {
    TokenLimits budget = new TokenLimits(0, 5_000, 0, "team-a");
    Reservation first = reserve("key:a", budget, 4_000, 0);
    ledger.settle(first, new TokenCharge(3_000, 0)).result();

    now.set(T0 + 3_600_000);
    Reservation refused = reserve("key:a", budget, 2_500, 0);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.refusal().limit()).isEqualTo(Limit.TOKENS_PER_DAY);
    assertThat(refused.refusal().used()).isEqualTo(3_000);
    assertThat(refused.refusal().retryAfterSeconds()).isEqualTo(TokenTally.secondsLeftToday(T0 + 3_600_000));

    now.set(DAY0 + TokenTally.DAY_MS);
    assertThat(reserve("key:a", budget, 5_000, 0).admitted()).isTrue();
  }

  @Test
  void aDollarBudgetCountsNanoDollars() {
    TokenLimits budget = new TokenLimits(0, 0, TokenCharge.reserve(0, 0.01).nanoUsd(), "team-a");
    Reservation first = reserve("key:a", budget, 10_000, 0.008);
    assertThat(first.admitted()).isTrue();
    Reservation refused = reserve("key:a", budget, 10_000, 0.003);
    assertThat(refused.refusal().limit()).isEqualTo(Limit.USD_PER_DAY);
    assertThat(refused.refusal().used()).isEqualTo(8_000_000);

    ledger.settle(first, TokenCharge.spent(2_000, 0.0015)).result();
    assertThat(ledger.usage("key:a")[2]).isEqualTo(1_500_000);
    assertThat(reserve("key:a", budget, 10_000, 0.0085).admitted()).isTrue();
  }

  @Test
  void aReleaseAfterTheMinuteEndedNeverFreesTheNewMinute() {
    TokenLimits both = new TokenLimits(1_000, 10_000, 0, "team-a");
    Reservation old = reserve("key:a", both, 900, 0);
    now.set(T0 + 45_000);
    reserve("key:a", both, 700, 0);

    ledger.settle(old, new TokenCharge(100, 0)).result();

    long[] usage = ledger.usage("key:a");
    assertThat(usage[0]).as("this minute keeps its own reservation").isEqualTo(700);
    assertThat(usage[1]).as("the day gets the release").isEqualTo(800);
  }

  @Test
  void callersWithoutABudgetAreBoundedButBudgetsAreKept() {
    LocalTokenLedger small = new LocalTokenLedger(now::get, 2);
    TokenLimits budget = new TokenLimits(0, 5_000, 0, "team-a");
    small.reserve("key:budget", budget, new TokenCharge(4_000, 0)).result();
    for (int i = 0; i < 5; i++) {
      small.reserve("ip:10.0.0." + i, PER_MINUTE_1000, new TokenCharge(1, 0)).result();
    }
    assertThat(small.usage("key:budget")[1]).isEqualTo(4_000);
    assertThat(small.usage("ip:10.0.0.0")[0]).as("the least recent caller was forgotten").isZero();
    assertThat(small.usage("ip:10.0.0.4")[0]).isEqualTo(1);
  }

  @Test
  void callersWithNoLimitAreNeverAccounted() {
    Reservation free = reserve("key:a", TokenLimits.NONE, 1_000_000, 0);
    assertThat(free.admitted()).isTrue();
    assertThat(free.accounted()).isFalse();
    assertThat(ledger.usage("key:a")[0]).isZero();
  }
}
