package io.openfusion.shared.limits;

import io.openfusion.shared.identity.CallerIds;
import io.vertx.core.Future;

/**
 * Token and dollar accounting per caller for {@code limits.tokens_per_minute} (fixed windows aligned to
 * the epoch minute) and {@code budgets} (the UTC day). A request {@link #reserve reserves} its worst
 * case before any upstream call and {@link #settle settles} on what it really spent when it ends, so
 * requests running at the same time can never overrun a limit together.
 *
 * <p>Implementations never block the calling event loop and answer on the caller's context.
 */
public interface TokenLedger {

  /** Which limit refused a reservation. */
  enum Limit {
    TOKENS_PER_MINUTE, TOKENS_PER_DAY, USD_PER_DAY
  }

  /**
   * Reserves {@code worstCase} for {@code caller} if every limit in {@code limits} has room for it.
   *
   * @param caller {@code key:<fingerprint>} or {@code ip:<address>} ({@link CallerIds})
   */
  Future<Reservation> reserve(String caller, TokenLimits limits, TokenCharge worstCase);

  /** Replaces the reservation by {@code spent}; a no-op for refused or unaccounted reservations. */
  Future<Void> settle(Reservation reservation, TokenCharge spent);

  /**
   * A refused reservation.
   *
   * @param limit             the limit that refused
   * @param allowed           that limit (tokens, or nano-dollars for {@link Limit#USD_PER_DAY})
   * @param used              what its window already holds, in the same unit
   * @param requested         what the request would add, in the same unit
   * @param retryAfterSeconds whole seconds until the window ends; 0 when the request can never fit
   */
  record Refusal(Limit limit, long allowed, long used, long requested, long retryAfterSeconds) {

    public boolean tooLarge() {
      return retryAfterSeconds == 0;
    }
  }

  /**
   * The outcome of {@link #reserve}.
   *
   * @param caller    who reserved
   * @param limits    the limits it was checked against
   * @param minute    the epoch minute the reservation counts in
   * @param day       the epoch day (UTC) it counts in
   * @param reserved  what was reserved
   * @param refusal   why it was refused, null when admitted
   * @param accounted false when nothing was recorded: no limit applies, or the ledger could not be
   *                  reached and the request was admitted anyway (see the implementations)
   */
  record Reservation(String caller, TokenLimits limits, long minute, long day, TokenCharge reserved,
                     Refusal refusal, boolean accounted) {

    public boolean admitted() {
      return refusal == null;
    }

    /** Admitted without any accounting: settling it does nothing. */
    public static Reservation unaccounted(String caller, TokenLimits limits, TokenCharge worstCase) {
      return new Reservation(caller, limits, 0, 0, worstCase, null, false);
    }
  }
}
