package io.openfusion.shared.config;

import java.util.Locale;

/**
 * How the panel's answers are produced before aggregation.
 *
 * <p>The wire name is the lower-case spelling used in YAML, in the {@code /v1/config} payload and
 * in request overrides.
 */
public enum Strategy {
  /** One model asked N times with a temperature spread. */
  SELF_FUSION("self_fusion"),
  /** Different models asked once each, in parallel. */
  PANEL("panel"),
  /** Panel, then 1 to 3 revision rounds where members see each other's answers. */
  DEBATE("debate"),
  /** Sequential solo and fuse steps. */
  PIPELINE("pipeline");

  private final String wire;

  Strategy(String wire) {
    this.wire = wire;
  }

  /** @return the YAML / JSON spelling, e.g. {@code "self_fusion"} */
  public String wire() {
    return wire;
  }

  /**
   * @param value a wire name; surrounding blanks and letter case are ignored
   * @return the matching strategy, or {@code null} if {@code value} is null or unknown
   */
  public static Strategy fromWire(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Strategy s : values()) {
      if (s.wire.equals(v)) {
        return s;
      }
    }
    return null;
  }

  /** @return the wire names joined with ", ", for error messages */
  public static String wireNames() {
    return WireNames.join(values(), Strategy::wire);
  }
}
