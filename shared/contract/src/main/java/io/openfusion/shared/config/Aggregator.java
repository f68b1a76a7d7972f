package io.openfusion.shared.config;

import java.util.Locale;

/** How the panel's answers become one answer. */
public enum Aggregator {
  /** A judge model synthesises a new answer (streamed). */
  JUDGE("judge"),
  /** Majority vote on the final number or line; no model call. */
  VOTE("vote"),
  /** One short judge call picks the best answer, which is returned verbatim. */
  RANKED("ranked");

  private final String wire;

  Aggregator(String wire) {
    this.wire = wire;
  }

  /** @return the YAML / JSON spelling, e.g. {@code "judge"} */
  public String wire() {
    return wire;
  }

  /**
   * @param value a wire name; surrounding blanks and letter case are ignored
   * @return the matching aggregator, or {@code null} if {@code value} is null or unknown
   */
  public static Aggregator fromWire(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Aggregator a : values()) {
      if (a.wire.equals(v)) {
        return a;
      }
    }
    return null;
  }

  /** @return the wire names joined with ", ", for error messages */
  public static String wireNames() {
    return WireNames.join(values(), Aggregator::wire);
  }
}
