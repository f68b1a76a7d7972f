package io.openfusion.shared.limits;

/**
 * Tokens and money one request may spend (a reservation) or did spend (a settlement).
 *
 * @param tokens  prompt plus completion tokens, at least 0
 * @param nanoUsd US dollars in units of 10^-9, at least 0; whole nano-dollars keep the arithmetic exact
 *                on every node, and even the cheapest model's single token is a few of them
 */
public record TokenCharge(long tokens, long nanoUsd) {

  public static final TokenCharge NONE = new TokenCharge(0, 0);
  /** Nano-dollars in one dollar. */
  public static final double NANOS_PER_USD = 1e9;

  public TokenCharge {
    tokens = Math.max(0, tokens);
    nanoUsd = Math.max(0, nanoUsd);
  }

  /** Rounds the dollars up: a reservation must never understate. */
  public static TokenCharge reserve(long tokens, double usd) {
    return new TokenCharge(tokens, (long) Math.ceil(Math.max(0, usd) * NANOS_PER_USD));
  }

  /** Rounds the dollars to the nearest nano-dollar: a settlement records what was spent. */
  public static TokenCharge spent(long tokens, double usd) {
    return new TokenCharge(tokens, Math.round(Math.max(0, usd) * NANOS_PER_USD));
  }

  public double usd() {
    return nanoUsd / NANOS_PER_USD;
  }
}
