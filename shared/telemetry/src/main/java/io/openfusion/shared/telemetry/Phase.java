package io.openfusion.shared.telemetry;

import java.util.Locale;

/**
 * What an upstream call was for. A fixed set on purpose: it becomes a Prometheus label, so member labels, model
 * ids and pipeline step names (all configurable, some client-supplied) never do.
 */
public enum Phase {
  PANEL("panel"),
  DEBATE("debate"),
  RANKER("ranker"),
  JUDGE("judge"),
  PASS_THROUGH("pass_through"),
  ROUTER("router"),
  PIPELINE("pipeline"),
  /** Anything a newer caller names that this build does not know. */
  OTHER("other");

  private final String wire;

  Phase(String wire) {
    this.wire = wire;
  }

  /** @return the label value ({@code pass_through}, not {@code PASS_THROUGH}) */
  public String wire() {
    return wire;
  }

  /** @return the phase with this wire name, {@link #OTHER} for anything else (null included) */
  public static Phase of(String wire) {
    if (wire != null) {
      String lower = wire.toLowerCase(Locale.ROOT);
      for (Phase phase : values()) {
        if (phase.wire.equals(lower)) {
          return phase;
        }
      }
    }
    return OTHER;
  }

  /**
   * The phase of a {@code panel.call}, read from its {@code MemberCall.callId()}: {@code ranker}; {@code step-<name>}
   * (a solo pipeline step); {@code debate<round>#<i>}; {@code panel#<i>} or {@code step-<name>#<i>} (panel members,
   * in a plain fusion or in a pipeline's fuse step). Unknown or missing ids count as panel calls: the panel worker
   * exists to answer those.
   */
  public static Phase ofCallId(String callId) {
    if (callId == null) {
      return PANEL;
    }
    if (callId.equals("ranker")) {
      return RANKER;
    }
    if (callId.startsWith("debate")) {
      return DEBATE;
    }
    if (callId.startsWith("step-") && callId.indexOf('#') < 0) {
      return PIPELINE;
    }
    return PANEL;
  }
}
