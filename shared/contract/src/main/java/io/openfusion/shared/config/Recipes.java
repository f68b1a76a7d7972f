package io.openfusion.shared.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recipes one node can run: the config it loaded, and the named recipes an embedding host registered next to it.
 * Bus messages name a recipe ({@code recipe} in {@code ChatCommand}, {@code MemberCall} and {@code SynthesisCommand})
 * instead of carrying it, for the same reason an {@code UpstreamRef} names an upstream: provider URLs and keys never
 * travel on the bus, so every node must hold the same named recipes.
 */
public final class Recipes {

  private final OpenFusionConfig base;
  private final Map<String, OpenFusionConfig> named;

  private Recipes(OpenFusionConfig base, Map<String, OpenFusionConfig> named) {
    this.base = base;
    this.named = Map.copyOf(named);
  }

  /** Only the node's own config. */
  public static Recipes of(OpenFusionConfig base) {
    return new Recipes(base, Map.of());
  }

  /** @param named full configs by recipe name, each the base config with its recipe applied */
  public static Recipes of(OpenFusionConfig base, Map<String, OpenFusionConfig> named) {
    return new Recipes(base, new LinkedHashMap<>(named));
  }

  public OpenFusionConfig base() {
    return base;
  }

  /** The named recipes, without the base. */
  public Map<String, OpenFusionConfig> named() {
    return named;
  }

  /** The config a message's recipe name stands for: the base for null, null for a name this node does not hold. */
  public OpenFusionConfig get(String name) {
    return name == null ? base : named.get(name);
  }
}
