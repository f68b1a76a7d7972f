package io.openfusion.shared.config;

import java.util.List;

/**
 * Settings for {@link Strategy#SELF_FUSION}: the first panel member is asked {@code n} times.
 *
 * @param n                 number of samples, 1..16
 * @param temperatureSpread temperatures used in turn for the samples (cycled when shorter than n)
 * @param seedOffset        give each sample a different seed so deterministic backends differ
 */
public record SelfFusionConfig(int n, List<Double> temperatureSpread, boolean seedOffset) {

  public static final int DEFAULT_N = 3;
  public static final int MIN_N = 1;
  public static final int MAX_N = 16;
  public static final List<Double> DEFAULT_TEMPERATURE_SPREAD = List.of(0.3, 0.7, 1.0);
  public static final boolean DEFAULT_SEED_OFFSET = true;

  public SelfFusionConfig {
    temperatureSpread = temperatureSpread == null ? List.of() : List.copyOf(temperatureSpread);
  }

  public static SelfFusionConfig defaults() {
    return new SelfFusionConfig(DEFAULT_N, DEFAULT_TEMPERATURE_SPREAD, DEFAULT_SEED_OFFSET);
  }
}
