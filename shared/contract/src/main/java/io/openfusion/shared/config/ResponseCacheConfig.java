package io.openfusion.shared.config;

/**
 * The response cache for identical fused requests.
 *
 * @param enabled    cache on/off
 * @param ttlSeconds entry lifetime, >= 1
 * @param maxEntries LRU capacity, >= 1
 */
public record ResponseCacheConfig(boolean enabled, int ttlSeconds, int maxEntries) {

  public static final int DEFAULT_TTL_SECONDS = 300;
  public static final int DEFAULT_MAX_ENTRIES = 512;

  public static ResponseCacheConfig defaults() {
    return new ResponseCacheConfig(false, DEFAULT_TTL_SECONDS, DEFAULT_MAX_ENTRIES);
  }
}
