package io.openfusion.autorouter;

import java.util.List;

/**
 * How demanding a prompt looks. It picks the single model for a SOLO answer and keys the outcome
 * statistics, so it is computed the same way for every request.
 */
public enum Tier {
  FAST("fast"), BALANCED("balanced"), STRONG("strong");

  private final String wire;

  Tier(String wire) {
    this.wire = wire;
  }

  /** @return the name used in the config ({@code route_models[].tier}) and in outcome keys */
  public String wire() {
    return wire;
  }

  /** @return the tier with this config name, or null for an unknown or null name */
  public static Tier fromWire(String name) {
    for (Tier tier : values()) {
      if (tier.wire.equals(name)) {
        return tier;
      }
    }
    return null;
  }

  /**
   * The tiers to look for, best first, when a model of this tier is wanted: a cheap request would
   * rather go up one tier than to the strongest model, a hard one would rather go down one.
   */
  List<Tier> fallbackOrder() {
    return switch (this) {
      case FAST -> List.of(FAST, BALANCED, STRONG);
      case BALANCED -> List.of(BALANCED, STRONG, FAST);
      case STRONG -> List.of(STRONG, BALANCED, FAST);
    };
  }
}
